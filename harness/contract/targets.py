"""Where scenarios run: the local landscape (emulator + mocks) or a real test tenant.

Both targets talk to the tenant through the Cloud Integration API client (``harness.tenant``):
message processing logs, ``ServiceEndpoints``, ``Configurations`` and deploys are the same calls on
either. The mocks are reached over HTTP at their base URLs: locally from ``.s4amz/landscape.json``,
for a tenant from ``contract.mocks`` in the environment (mocks the tenant can reach). What only
the emulator offers (timers on demand, JMS queues and dead letters, ProcessDirect from outside,
waiting until idle) uses its ``/s4amz/v1`` control API; on a tenant those steps are not available
and the runner skips the scenario with the reason.

Sender credentials: ``contract.sender`` in the environment (``auth: basic|oauth2``, ``client_id``,
``client_secret``, ``token_url`` for oauth2). Locally the default is the first ``emulator.clients``
entry holding ``ESBMessaging.send``. ``auth: wrong-role`` calls with the tenant API client, which
has API roles but not the sender's role (``contract.wrong_role`` overrides it).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Collection
from urllib.parse import quote, urlencode

import requests

from harness.config import ConfigError, Environment, read_landscape
from harness.contract.masking import Masker, environment_secrets
from harness.tenant.client import TenantClient
from harness.tenant.configurations import ParameterChange
from harness.tenant.deploy import Backoff, DeployWaiter
from harness.tenant.errors import TenantError
from harness.tenant.logs import MessageLog

SENDER_ROLE = "ESBMessaging.send"
SOAP_ENVELOPE = ('<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>{}'
                 "</soap:Body></soap:Envelope>")


class TargetError(Exception):
    """A step cannot be carried out on this target (the text says why)."""


class NotOnThisTarget(TargetError):
    """The step exists only on the emulator: the scenario is skipped on a tenant."""


@dataclass(frozen=True)
class Endpoint:
    """How a flow is called from outside: an HTTPS or SOAP URL, or (emulator) a ProcessDirect address."""

    flow: str
    kind: str          # "http" | "soap" | "processdirect"
    url: str


@dataclass
class Credentials:
    """A caller of sender endpoints."""

    auth: str                       # "basic" | "oauth2"
    client_id: str
    client_secret: str
    token_url: str | None = None
    _token: tuple[str, float] | None = None

    def header(self, http: requests.Session) -> dict[str, str]:
        if self.auth == "basic":
            return {}
        if self._token is None or self._token[1] < time.time() + 30:
            response = http.post(str(self.token_url), data={"grant_type": "client_credentials"},
                                 auth=(self.client_id, self.client_secret), timeout=30)
            if response.status_code != 200:
                raise TargetError(f"token request for sender {self.client_id} at {self.token_url} answered "
                                  f"{response.status_code}: {response.text[:200]}")
            data = response.json()
            self._token = (str(data["access_token"]), time.time() + float(data.get("expires_in", 300)))
        return {"Authorization": f"Bearer {self._token[0]}"}

    def basic(self) -> tuple[str, str] | None:
        return (self.client_id, self.client_secret) if self.auth == "basic" else None


class Target:
    """What the runner needs from a landscape; subclasses fill in the target-specific parts."""

    kind = "tenant"

    def __init__(self, env: Environment, client: TenantClient, mocks: dict[str, str], *,
                 sender: Credentials | None, wrong_role: Credentials | None) -> None:
        self.env = env
        self.client = client
        self.mocks = dict(mocks)
        self.sender = sender
        self.wrong_role = wrong_role
        self.http = requests.Session()
        self.masker = Masker(environment_secrets(env))
        for creds in (sender, wrong_role):
            if creds is not None:
                self.masker.add(creds.client_secret)
        self._endpoints: dict[str, Endpoint | None] | None = None
        self._csrf: dict[str, str] = {}

    @property
    def name(self) -> str:
        return self.env.name

    # --- mocks -----------------------------------------------------------------------------------
    def mock_url(self, mock: str) -> str:
        try:
            return self.mocks[mock].rstrip("/")
        except KeyError:
            known = ", ".join(sorted(self.mocks)) or "none"
            raise TargetError(f"unknown mock {mock!r} on {self.name} (known: {known})") from None

    def mock_call(self, mock: str, method: str, path: str, *, body: bytes | None = None,
                  content_type: str | None = None, headers: dict[str, str] | None = None) -> requests.Response:
        send = dict(headers or {})
        if content_type and body is not None:
            send.setdefault("Content-Type", content_type)
        return self.http.request(method, self.mock_url(mock) + path, data=body, headers=send, timeout=60)

    def reset_mocks(self) -> None:
        for mock in self.mocks:
            response = self.mock_call(mock, "POST", "/__mock__/reset")
            if response.status_code >= 300:
                raise TargetError(f"resetting mock {mock} answered {response.status_code}: {response.text[:200]}")

    def mock_requests(self, mock: str, since: int = 0) -> list[dict[str, Any]]:
        response = self.mock_call(mock, "GET", f"/__mock__/requests?since={since}")
        if response.status_code != 200:
            raise TargetError(f"{mock}: /__mock__/requests answered {response.status_code}")
        return list(response.json())

    def mock_seq(self, mock: str) -> int:
        """The journal's last sequence number (requests after it belong to what follows)."""
        entries = self.mock_requests(mock)
        return max((int(e.get("seq", 0)) for e in entries), default=0)

    def mock_state(self, mock: str, resource: str | None = None) -> Any:
        path = "/__mock__/state" + (f"/{resource.strip('/')}" if resource else "")
        response = self.mock_call(mock, "GET", path)
        if response.status_code != 200:
            raise TargetError(f"{mock}: GET {path} answered {response.status_code}: {response.text[:200]}")
        return response.json()

    # --- flows -----------------------------------------------------------------------------------
    def endpoints(self, refresh: bool = False) -> dict[str, Endpoint | None]:
        """Flow id -> its HTTPS/SOAP endpoint from ``ServiceEndpoints`` (first one per flow)."""
        if self._endpoints is None or refresh:
            found: dict[str, Endpoint | None] = {}
            for endpoint in self.client.endpoints.list():
                if endpoint.entry_points and endpoint.artifact_id not in found:
                    kind = "soap" if endpoint.protocol.upper() == "SOAP" else "http"
                    found[endpoint.artifact_id] = Endpoint(endpoint.artifact_id, kind, endpoint.entry_points[0].url)
            self._endpoints = found
        return self._endpoints

    def endpoint(self, flow: str) -> Endpoint:
        found = self.endpoints().get(flow) or self.endpoints(refresh=True).get(flow)
        if found is None:
            raise NotOnThisTarget(f"{flow} publishes no HTTPS or SOAP endpoint on {self.name} "
                                  "(ServiceEndpoints); only the emulator can call other senders from outside")
        return found

    def credentials(self, auth: str) -> Credentials | None:
        if auth == "none":
            return None
        creds = self.sender if auth == "sender" else self.wrong_role
        if creds is None:
            raise TargetError(f"no credentials for auth: {auth} on {self.name}: set contract."
                              f"{'sender' if auth == 'sender' else 'wrong_role'} in {self.env.path}")
        return creds

    def call_flow(self, endpoint: Endpoint, *, method: str, path: str, query: dict[str, Any], headers: dict[str, str],
                  body: bytes, content_type: str | None, auth: str) -> requests.Response:
        """Call a sender as an outside client would (fetching a CSRF token when the flow asks for one)."""
        url = endpoint.url.rstrip("/") + (path or "")
        if query:
            url += ("&" if "?" in url else "?") + urlencode(query)
        send = dict(headers)
        if endpoint.kind == "soap":
            if not body.lstrip().startswith(b"<") or b"Envelope" not in body[:400]:
                body = SOAP_ENVELOPE.format(body.decode("utf-8")).encode("utf-8")
            send.setdefault("Content-Type", "text/xml; charset=UTF-8")
        elif content_type:
            send.setdefault("Content-Type", content_type)
        creds = self.credentials(auth)
        basic = creds.basic() if creds else None
        if creds is not None:
            send.update(creds.header(self.http))
        key = f"{auth}:{endpoint.url}"
        if key in self._csrf:
            send["X-CSRF-Token"] = self._csrf[key]
        response = self.http.request(method, url, data=body if method not in ("GET", "HEAD") else None,
                                     headers=send, auth=basic, timeout=120)
        if (response.status_code == 403 and method not in ("GET", "HEAD")
                and (response.headers.get("X-CSRF-Token") or "").lower() == "required"):
            fetch = self.http.get(url, headers={**{k: v for k, v in send.items() if k.lower() == "authorization"},
                                                "X-CSRF-Token": "Fetch"}, auth=basic, timeout=60)
            token = fetch.headers.get("X-CSRF-Token")
            if token and token.lower() != "required":
                self._csrf[key] = token
                self.masker.add(token)
                send["X-CSRF-Token"] = token
                response = self.http.request(method, url, data=body, headers=send, auth=basic, timeout=120)
        return response

    def process_direct(self, flow: str, body: bytes, headers: dict[str, str]) -> requests.Response:
        raise NotOnThisTarget(f"{flow} starts with ProcessDirect: only the emulator calls it from outside")

    def fire_timer(self, flow: str) -> dict[str, Any]:
        raise NotOnThisTarget("firing a timer on demand is emulator-only")

    def replay(self, flow: str | None, queue: str | None) -> int:
        raise NotOnThisTarget("replaying dead letters is emulator-only (use s4amz replay on a tenant)")

    def queue_messages(self, queue: str) -> dict[str, Any]:
        raise NotOnThisTarget("reading JMS queues is emulator-only (the tenant's queue monitor shows them)")

    def move(self, queue: str, to: str | None = None, ids: list[int] | None = None) -> list[dict[str, Any]]:
        raise NotOnThisTarget("moving JMS messages is emulator-only (use s4amz replay on a tenant)")

    def dead_letters(self) -> list[dict[str, Any]]:
        raise NotOnThisTarget("JMS queues and dead letters are emulator-only")

    def queues(self) -> list[dict[str, Any]]:
        raise NotOnThisTarget("JMS queues and dead letters are emulator-only")

    def wait_idle(self, timeout: float, since: datetime, known: Collection[str]) -> str:
        """Until no message of this scenario is PROCESSING and the count of its logs stays put for
        a few seconds (a tenant has no 'idle' signal); returns what it waited for."""
        deadline = time.monotonic() + timeout
        quiet, last = float(self.env.get("contract.quiet_s", 5.0)), None
        stable_since = time.monotonic()
        while True:
            logs = self.mpls(since, known)
            signature = (len(logs), sum(1 for log in logs if log.status in ("PROCESSING", "RETRY")))
            if signature != last:
                last, stable_since = signature, time.monotonic()
            elif signature[1] == 0 and time.monotonic() - stable_since >= quiet:
                return f"{signature[0]} message(s), none processing for {quiet:g} s"
            if time.monotonic() >= deadline:
                raise TargetError(f"not idle after {timeout:g} s: {signature[1]} message(s) still processing "
                                  "or in retry")
            time.sleep(min(2.0, max(0.2, quiet / 3)))

    # --- monitoring -----------------------------------------------------------------------------
    def mpls(self, since: datetime, known: Collection[str] = ()) -> list[MessageLog]:
        """Logs begun after ``since`` (2 s of slack for the API's second precision) and not in ``known``."""
        moment = datetime.fromtimestamp(since.timestamp() - 2, tz=timezone.utc)
        return [log for log in self.client.logs.query(since=moment) if log.guid not in known]

    def mpl_error(self, guid: str) -> str:
        return self.client.logs.error_text(guid)

    def mpl_steps(self, guid: str) -> list[dict[str, Any]]:
        """The per-step trace (Runs/RunSteps); empty when the tenant keeps none at this log level."""
        try:
            runs = self.client.session.get_collection(f"MessageProcessingLogs('{guid}')/Runs")
            steps: list[dict[str, Any]] = []
            for run in runs[:1]:
                run_id = str(run.get("Id"))
                steps += self.client.session.get_collection(f"MessageProcessingLogRuns('{run_id}')/RunSteps")
            return steps
        except TenantError:
            return []

    # --- parameters -----------------------------------------------------------------------------
    def set_parameters(self, overrides: dict[str, dict[str, str]], deadline: float) -> dict[str, dict[str, str]]:
        """Apply parameter values and redeploy those flows; returns the previous values to restore."""
        previous: dict[str, dict[str, str]] = {}
        changes: list[ParameterChange] = []
        for artifact_id, values in overrides.items():
            current = self.client.configurations.list(artifact_id)
            types = {c.key: c.data_type for c in current}
            known = {c.key: c.value for c in current}
            unknown = sorted(set(values) - set(known))
            if unknown:
                raise TargetError(f"{artifact_id} has no parameter(s) {', '.join(unknown)} (known: {', '.join(sorted(known))})")
            previous[artifact_id] = {k: known[k] for k in values}
            changes += [ParameterChange(artifact_id, k, str(v), types.get(k, "xsd:string")) for k, v in values.items()]
        self._apply(changes, list(overrides), deadline)
        return previous

    def restore_parameters(self, previous: dict[str, dict[str, str]], deadline: float) -> None:
        changes = [ParameterChange(a, k, v) for a, values in previous.items() for k, v in values.items()]
        self._apply(changes, list(previous), deadline)

    def _apply(self, changes: list[ParameterChange], artifacts: list[str], deadline: float) -> None:
        if not changes:
            return
        failures = self.client.configurations.update(changes)
        if failures:
            raise TargetError("; ".join(f"{a}: {t}" for a, t in failures.items()))
        waiter = DeployWaiter(self.client.deploys, self.client.runtime, backoff=self.deploy_backoff())
        for artifact_id in artifacts:
            designtime = self.client.integration.get(artifact_id)
            version = designtime.version if designtime else "active"
            outcome = waiter.wait(artifact_id, version, self.client.deploys.deploy(artifact_id), deadline)
            if not outcome.ok:
                raise TargetError(f"redeploying {artifact_id} with the scenario's parameters failed: "
                                  f"{outcome.status}: {outcome.error}")
        self._endpoints = None

    def deploy_backoff(self) -> Backoff:
        poll = self.env.get("deploy.poll", {}) or {}
        return Backoff(float(poll.get("initial", 2.0)), float(poll.get("factor", 1.5)), float(poll.get("cap", 15.0)))


class TenantTarget(Target):
    """A real Cloud Integration tenant whose flows reach mocks on addresses it can call."""

    kind = "tenant"

    @classmethod
    def from_environment(cls, env: Environment) -> "TenantTarget":
        section = env.get("contract", {}) or {}
        mocks = {str(k): str(v) for k, v in (section.get("mocks") or {}).items()}
        if not mocks:
            raise ConfigError(f"{env.path}: contract.mocks: give the base URL of every mock the tenant's flows "
                              "call (bwp, s4hana, ...), reachable from the tenant and from this machine")
        client = TenantClient.from_environment(env)
        sender = _credentials(env, "contract.sender")
        wrong = _credentials(env, "contract.wrong_role") or _api_client(env)
        return cls(env, client, mocks, sender=sender, wrong_role=wrong)


class LocalTarget(Target):
    """The embedded landscape: the emulator (tenant API + ``/s4amz/v1`` controls) and the mocks."""

    kind = "emulator"
    emulator_url = ""

    @classmethod
    def from_environment(cls, env: Environment) -> "LocalTarget":
        landscape = read_landscape()
        mocks = {str(k): str(v) for k, v in (landscape.get("mocks") or {}).items()}
        client = TenantClient.from_environment(env)
        sender = _credentials(env, "contract.sender") or _emulator_sender(env)
        wrong = _credentials(env, "contract.wrong_role") or _api_client(env, basic=True)
        target = cls(env, client, mocks, sender=sender, wrong_role=wrong)
        target.emulator_url = str((landscape.get("emulator") or {}).get("url") or "")
        if not target.emulator_url:
            raise ConfigError("the emulator is not running: `s4amz up` first")
        return target

    def _control(self, method: str, path: str, *, json: Any = None, data: bytes | None = None,
                 params: dict[str, Any] | None = None, headers: dict[str, str] | None = None,
                 ok: tuple[int, ...] = (200,)) -> requests.Response:
        url = f"{self.emulator_url}/s4amz/v1{path}"
        return self.client.session.request(method, url, json=json, data=data, params=params, headers=headers, ok=ok)

    def flows(self) -> dict[str, dict[str, Any]]:
        return {f["id"]: f for f in self._control("GET", "/flows").json()["flows"]}

    def endpoint(self, flow: str) -> Endpoint:
        found = self.endpoints().get(flow) or self.endpoints(refresh=True).get(flow)
        if found is not None:
            return found
        described = self.flows().get(flow)
        if described is None:
            raise TargetError(f"{flow} is not deployed on the emulator")
        for sender in described["senders"]:
            if sender["kind"] == "processdirect":
                return Endpoint(flow, "processdirect", str(sender["address"]))
        kinds = ", ".join(s["kind"] for s in described["senders"]) or ("a timer" if described["timer"] else "nothing")
        raise TargetError(f"{flow} cannot be called from outside: it starts with {kinds}")

    def call_flow(self, endpoint: Endpoint, *, method: str, path: str, query: dict[str, Any], headers: dict[str, str],
                  body: bytes, content_type: str | None, auth: str) -> requests.Response:
        if endpoint.kind == "processdirect":
            send = dict(headers)
            if content_type:
                send.setdefault("Content-Type", content_type)
            return self.process_direct(endpoint.url, body, send)
        return super().call_flow(endpoint, method=method, path=path, query=query, headers=headers, body=body,
                                 content_type=content_type, auth=auth)

    def process_direct(self, address: str, body: bytes, headers: dict[str, str]) -> requests.Response:
        return self._control("POST", "/process-direct", params={"address": address}, data=body, headers=headers,
                             ok=(200, 404, 500))

    def fire_timer(self, flow: str) -> dict[str, Any]:
        return self._control("POST", f"/timers/{flow}/fire").json()

    def dead_letters(self) -> list[dict[str, Any]]:
        return list(self._control("GET", "/dead-letters").json()["dead_letters"])

    def queues(self) -> list[dict[str, Any]]:
        return list(self._control("GET", "/queues").json()["queues"])

    def queue_messages(self, queue: str) -> dict[str, Any]:
        """``{"queue", "consumer", "messages": [...]}`` of one JMS queue."""
        return self._control("GET", f"/queues/{quote(queue, safe='')}/messages").json()

    def move(self, queue: str, to: str | None = None, ids: list[int] | None = None) -> list[dict[str, Any]]:
        """Move messages of a queue (every waiting one, or ``ids``) to ``to`` or back where they came from.

        Raises :class:`TargetError` with the emulator's reason when nothing could be moved."""
        body: dict[str, Any] = {}
        if to is not None:
            body["to"] = to
        if ids is not None:
            body["ids"] = list(ids)
        response = self._control("POST", f"/queues/{quote(queue, safe='')}/move", json=body, ok=(200, 400, 404))
        if response.status_code != 200:
            raise TargetError(_error_text(response))
        return list(response.json()["moved"])

    def replay(self, flow: str | None, queue: str | None) -> int:
        """Requeue the emulator's dead letters of a flow (its consumer or producer) and/or queue."""
        count = 0
        for letter in self.dead_letters():
            if flow and flow not in (letter.get("consumer"), letter.get("producer")):
                continue
            if queue and letter.get("queue") != queue:
                continue
            self._control("POST", f"/dead-letters/{letter['id']}/requeue")
            count += 1
        return count

    def wait_idle(self, timeout: float, since: datetime, known: Collection[str]) -> str:
        response = self._control("POST", "/wait-idle", json={"timeout_s": timeout}, ok=(200, 504))
        state = response.json()
        if response.status_code != 200:
            raise TargetError(str(state.get("error") or state))
        unconsumed = state.get("unconsumed") or {}
        return "idle" + (f" (queues without a consumer: {unconsumed})" if unconsumed else "")

    def deploy_backoff(self) -> Backoff:
        return Backoff(0.05, 1.5, 0.5)


def _error_text(response: requests.Response) -> str:
    """The message of an OData-style error answer, else the body."""
    try:
        error = response.json().get("error") or {}
        message = error.get("message")
        return str(message.get("value") if isinstance(message, dict) else message or response.text)
    except (ValueError, AttributeError):
        return response.text


def _credentials(env: Environment, key: str) -> Credentials | None:
    section = env.get(key, None)
    if not section:
        return None
    if not isinstance(section, dict):
        raise ConfigError(f"{env.path}: {key}: expected auth, client_id, client_secret (and token_url for oauth2)")
    auth = str(section.get("auth", "basic")).lower()
    if auth not in ("basic", "oauth2"):
        raise ConfigError(f"{env.path}: {key}.auth: expected basic or oauth2, got {auth!r}")
    missing = [k for k in ("client_id", "client_secret") + (("token_url",) if auth == "oauth2" else ())
               if not section.get(k)]
    if missing:
        raise ConfigError(f"{env.path}: {key}: {', '.join(missing)} required")
    return Credentials(auth, str(section["client_id"]), str(section["client_secret"]),
                       str(section.get("token_url")) if section.get("token_url") else None)


def _emulator_sender(env: Environment) -> Credentials | None:
    for client in env.get("emulator.clients", []) or []:
        if SENDER_ROLE in (client.get("roles") or []):
            return Credentials("basic", str(client["client_id"]), str(client["client_secret"]))
    return None


def _api_client(env: Environment, basic: bool = False) -> Credentials | None:
    """The tenant API client: it has API roles, never the sender role."""
    client_id, secret = env.get("tenant.client_id", None), env.get("tenant.client_secret", None)
    if not client_id or not secret:
        return None
    if basic:
        return Credentials("basic", str(client_id), str(secret))
    return Credentials("oauth2", str(client_id), str(secret), str(env.get("tenant.token_url")))


def make_target(env: Environment) -> Target:
    """The target an environment describes (``kind: emulator`` -> local, otherwise a tenant)."""
    if str(env.get("kind", "tenant")) == "emulator":
        return LocalTarget.from_environment(env)
    return TenantTarget.from_environment(env)


__all__ = ["Credentials", "Endpoint", "LocalTarget", "NotOnThisTarget", "Target", "TargetError", "TenantTarget",
           "make_target"]
