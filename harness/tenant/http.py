"""The one HTTP session every resource client shares.

What it does, and why (see ``../shared/reference/cpi-api/FACTS.md`` §0 and §6):

* ``Accept: application/json`` on every call; ``d`` / ``d.results`` unwrapped; ``__next`` paging
  links followed (the API pages at 1000 entries; neither flashpipe nor Piper follows them).
* Bearer tokens are sent without CSRF. With Basic auth a CSRF token is fetched **once per
  session** (``GET /api/v1/`` with ``X-CSRF-Token: Fetch``; cookies kept). Either way, a write
  answered 403 naming CSRF triggers one fetch and one retry.
* A 401 on a bearer call drops the cached token and retries once (a revoked or restarted token).
* Retries only where safe: reads (GET/HEAD) on connection errors and 429/502/503/504; writes only
  on 429 (the tenant refused before doing anything) and on 503 that carries ``Retry-After``. A
  write answered 500/502/504 is **never** retried: the tenant may have acted on it, and a content
  error answered as 5xx would be re-sent for minutes (Piper's retry client does exactly that).
  ``Retry-After`` is honoured (seconds or HTTP date), otherwise exponential backoff with jitter.
* Errors raise :class:`TenantError` with SAP's text verbatim (``error.message.value``).
"""

from __future__ import annotations

import random
import threading
import time
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Iterable, Mapping

import requests
from requests.auth import AuthBase, HTTPBasicAuth

from harness.tenant import odata
from harness.tenant.auth import BearerAuth, TokenSource
from harness.tenant.errors import AuthError, NotFound, TenantError

READS = frozenset({"GET", "HEAD"})
READ_RETRY_STATUSES = frozenset({429, 502, 503, 504})
NOT_FOUND_MARKER = "Requested entity could not be found"


class TenantSession:
    """HTTP access to one tenant's OData API root (``https://host/api/v1``)."""

    def __init__(self, api_url: str, auth: AuthBase, *, http: requests.Session | None = None,
                 timeout: float = 60.0, max_attempts: int = 5, backoff: float = 1.0,
                 max_backoff: float = 30.0, sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None) -> None:
        self.api_url = api_url.rstrip("/")
        self.auth = auth
        self.http = http or requests.Session()
        self.timeout = timeout
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        self.rng = rng or random.Random()
        self._csrf: str | None = None
        self._csrf_lock = threading.Lock()
        self.calls = 0

    # --- construction --------------------------------------------------------------------------
    @classmethod
    def oauth(cls, api_url: str, tokens: TokenSource, **kwargs: Any) -> "TenantSession":
        """A session authenticating with OAuth2 client-credentials bearer tokens."""
        return cls(api_url, BearerAuth(tokens), **kwargs)

    @classmethod
    def basic(cls, api_url: str, user: str, password: str, **kwargs: Any) -> "TenantSession":
        """A session authenticating with Basic (CSRF token fetched once, then reused)."""
        return cls(api_url, HTTPBasicAuth(user, password), **kwargs)

    @property
    def uses_basic(self) -> bool:
        """True when writes need a CSRF token up front."""
        return isinstance(self.auth, HTTPBasicAuth)

    # --- URLs ----------------------------------------------------------------------------------
    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        """An absolute URL for ``path`` (relative to the API root, or absolute) plus query."""
        if path.startswith(("http://", "https://")):
            base = path
        else:
            base = f"{self.api_url}/{path.lstrip('/')}"
        if params:
            query = odata.query_string(params)
            if query:
                base += ("&" if "?" in base else "?") + query
        return base

    # --- the one request path ------------------------------------------------------------------
    def request(self, method: str, path: str, *, params: Mapping[str, Any] | None = None,
                json: Any = None, data: bytes | str | None = None,
                headers: Mapping[str, str] | None = None,
                ok: Iterable[int] = (200, 201, 202, 204)) -> requests.Response:
        """Send one call with auth, CSRF and the retry policy; raise TenantError unless ``ok``."""
        method = method.upper()
        url = self.url(path, params)
        ok_statuses = set(ok)
        attempt = 0
        csrf_retried = auth_retried = False
        while True:
            attempt += 1
            send_headers = {"Accept": "application/json"}
            if headers:
                send_headers.update(headers)
            if method not in READS and self.uses_basic:
                send_headers["X-CSRF-Token"] = self._csrf_token()
            elif method not in READS and self._csrf is not None:
                send_headers["X-CSRF-Token"] = self._csrf
            try:
                self.calls += 1
                response = self.http.request(method, url, json=json, data=data, headers=send_headers,
                                             auth=self.auth, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as exc:
                if method in READS and attempt < self.max_attempts:
                    self.sleep(self._delay(attempt, None))
                    continue
                raise TenantError(f"no answer from the tenant: {exc}", method=method, url=url) from exc
            except AuthError:
                raise
            status = response.status_code
            if status in ok_statuses:
                return response
            if status == 403 and method not in READS and not csrf_retried and _names_csrf(response):
                csrf_retried = True
                self._refresh_csrf()
                continue
            if status == 401 and isinstance(self.auth, BearerAuth) and not auth_retried:
                auth_retried = True
                self.auth.source.invalidate()
                continue
            if attempt < self.max_attempts and self._retryable(method, response):
                self.sleep(self._delay(attempt, response))
                continue
            raise self.error(response, method, url)

    def _retryable(self, method: str, response: requests.Response) -> bool:
        status = response.status_code
        if method in READS:
            return status in READ_RETRY_STATUSES
        if status == 429:
            return True
        return status == 503 and "Retry-After" in response.headers

    def _delay(self, attempt: int, response: requests.Response | None) -> float:
        if response is not None:
            after = _retry_after(response.headers.get("Retry-After"))
            if after is not None:
                return min(after, self.max_backoff * 4)
        base = min(self.max_backoff, self.backoff * (2 ** (attempt - 1)))
        return base * (0.5 + self.rng.random() / 2)

    # --- CSRF ----------------------------------------------------------------------------------
    def _csrf_token(self) -> str:
        with self._csrf_lock:
            if self._csrf is None:
                self._csrf = self._fetch_csrf()
            return self._csrf

    def _refresh_csrf(self) -> None:
        with self._csrf_lock:
            self._csrf = self._fetch_csrf()

    def _fetch_csrf(self) -> str:
        url = self.api_url + "/"
        self.calls += 1
        try:
            response = self.http.get(url, headers={"X-CSRF-Token": "Fetch", "Accept": "application/json"},
                                     auth=self.auth, timeout=self.timeout)
        except requests.RequestException as exc:
            raise TenantError(f"CSRF token fetch failed: {exc}", method="GET", url=url) from exc
        token = response.headers.get("X-CSRF-Token")
        if response.status_code != 200 or not token or token.lower() == "required":
            raise self.error(response, "GET", url, prefix="CSRF token fetch failed: ")
        return token

    # --- convenience ---------------------------------------------------------------------------
    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET and return the unwrapped ``d`` payload."""
        return odata.unwrap(_json(self.request("GET", path, params=params, ok=(200,)), path))

    def get_optional(self, path: str, params: Mapping[str, Any] | None = None) -> Any | None:
        """GET an entity; None when it does not exist (404 or the tenant's 'could not be found')."""
        try:
            return self.get_json(path, params)
        except NotFound:
            return None

    def get_collection(self, path: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """GET a collection and every following page."""
        results: list[dict[str, Any]] = []
        url, query = path, params
        seen: set[str] = set()
        while url:
            payload = _json(self.request("GET", url, params=query, ok=(200,)), url)
            page = odata.unwrap(payload)
            if not isinstance(page, list):
                raise TenantError(f"expected a collection from {path}, got {type(page).__name__}")
            results.extend(page)
            url, query = odata.next_link(payload), None
            if url in seen:
                raise TenantError(f"paging loop at {url}")
            if url:
                seen.add(url)
        return results

    def error(self, response: requests.Response, method: str, url: str, prefix: str = "") -> TenantError:
        """The TenantError for a failed response, with SAP's text verbatim."""
        text = prefix + response_text(response)
        if response.status_code == 404 or NOT_FOUND_MARKER in text:
            return NotFound(text, status=response.status_code, method=method, url=url)
        if response.status_code == 401:
            return AuthError(text, status=401, method=method, url=url)
        return TenantError(text, status=response.status_code, method=method, url=url)


def response_text(response: requests.Response) -> str:
    """The tenant's own words for a failed call: ``error.message.value``, else the body."""
    try:
        text = odata.error_text(response.json())
    except ValueError:
        text = None
    if text:
        return text
    body = response.text.strip()
    if body.startswith("<"):
        from lxml import etree  # XML error bodies (Atom): <error><message>...</message></error>

        try:
            root = etree.fromstring(body.encode("utf-8"))
            messages = root.xpath("//*[local-name()='message']/text()")
            if messages:
                return str(messages[0]).strip()
        except etree.XMLSyntaxError:
            pass
    return body[:2000] or f"{response.status_code} {response.reason}"


def _names_csrf(response: requests.Response) -> bool:
    if response.headers.get("X-CSRF-Token", "").lower() == "required":
        return True
    return "csrf" in response.text.lower()


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - time.time())


def _json(response: requests.Response, path: str) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise TenantError(f"expected JSON from {path}, got {response.headers.get('Content-Type')}: "
                          f"{response.text[:200]}", status=response.status_code) from exc
