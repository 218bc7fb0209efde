"""The script host and the stand-in API: fidelity to the tenant's behaviour, and the host's own
promises (cache, shared binding, concurrency, crash isolation, clear errors)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness.scripthost import (
    Attachment,
    AuthorizationCodeToken,
    JvmNotBuilt,
    ScriptHost,
    ScriptHostCrashed,
    ScriptMessage,
    ScriptTimeout,
    UserCredential,
    ValueMapping,
)

V1 = "import com.sap.gateway.ip.core.customdev.util.Message\n"
V2 = "import com.sap.it.script.v2.api.Message\n"


def script(name: str, body: str, header: str = V1) -> tuple[str, str]:
    return (name, header + body)


def test_reports_its_groovy_version(host: ScriptHost) -> None:
    assert host.groovy_version == {"2.4": "2.4.21", "4.0": "4.0.29"}[host.version]


def test_headers_are_case_insensitive_and_keep_their_spelling(host: ScriptHost) -> None:
    s = script("hdr.groovy", """
def Message processData(Message message) {
    message.setProperty('viaMap', message.getHeaders().get('content-type'))
    message.setProperty('viaGetter', message.getHeader('CONTENT-TYPE', String))
    message.setHeader('content-TYPE', 'application/xml')
    return message
}""")
    r = host.run(s, message=ScriptMessage(body="x", headers={"Content-Type": "application/json"}))
    assert r.exception is None
    assert r.properties["viaMap"] == "application/json"
    assert r.properties["viaGetter"] == "application/json"
    assert r.headers == {"Content-Type": "application/xml"}  # one entry, first spelling kept (Camel)


@pytest.mark.parametrize("target", ["String", "byte[]", "InputStream", "Reader"])
def test_get_body_conversions_honour_camel_charset(host: ScriptHost, target: str) -> None:
    read = {
        "String": "message.getBody(String)",
        "byte[]": "new String(message.getBody(byte[]), 'ISO-8859-1')",
        "InputStream": "message.getBody(InputStream).getText('ISO-8859-1')",
        "Reader": "message.getBody(Reader).text",
    }[target]
    s = script(f"conv{target.replace('[]', 'Bytes')}.groovy", f"""
def Message processData(Message message) {{
    message.setProperty('text', {read})
    message.setProperty('size', message.getBodySize())
    return message
}}""")
    latin1 = "Grüße aus Köln".encode("iso-8859-1")
    r = host.run(s, message=ScriptMessage(body=latin1, properties={"CamelCharsetName": "ISO-8859-1"}))
    assert r.exception is None
    assert r.properties["text"] == "Grüße aus Köln"
    assert r.properties["size"] == len(latin1)


def test_default_charset_is_utf8_and_string_bodies_round_trip(host: ScriptHost) -> None:
    s = script("utf8.groovy", """
def Message processData(Message message) {
    message.setBody(message.getBody(String).reverse())
    return message
}""")
    r = host.run(s, message=ScriptMessage(body="日本語 ✓".encode("utf-8")))
    assert r.text == "✓ 語本日"
    assert r.body_type == "java.lang.String"


def test_unconvertible_body_type_answers_null_and_null_body_is_null(host: ScriptHost) -> None:
    s = script("nullconv.groovy", """
def Message processData(Message message) {
    message.setProperty('asInteger', String.valueOf(message.getBody(Integer)))
    message.setProperty('raw', String.valueOf(message.getBody()))
    return message
}""")
    assert host.run(s, message=ScriptMessage(body="abc")).properties["asInteger"] == "null"
    assert host.run(s, message=ScriptMessage(body=None)).properties["raw"] == "null"


def test_setting_a_property_to_null_removes_it(host: ScriptHost) -> None:
    s = script("propnull.groovy", """
def Message processData(Message message) {
    message.setProperty('gone', null)
    message.setProperty('count', message.getProperties().size())
    return message
}""")
    r = host.run(s, message=ScriptMessage(properties={"gone": "x", "kept": 1}))
    assert r.properties == {"kept": 1, "count": 1}


def test_message_log_is_null_at_level_none_and_records_otherwise(host: ScriptHost) -> None:
    s = script("mpl.groovy", """
def Message processData(Message message) {
    def log = messageLogFactory.getMessageLog(message)
    message.setProperty('hasLog', log != null)
    if (log != null) {
        log.addAttachmentAsString('payload', 'hello', 'null')
        log.setStringProperty('order', '12345')
        log.setIntegerProperty('lines', 2)
        log.addCustomHeaderProperty('SalesOrder', '12345')
    }
    return message
}""")
    off = host.run(s, log_level="NONE")
    assert off.properties["hasLog"] is False and off.log_attachments == []
    on = host.run(s, log_level="INFO")
    assert on.properties["hasLog"] is True
    assert [(a.name, a.media_type, a.text) for a in on.log_attachments] == [("payload", "text/plain", "hello")]
    assert on.log_properties == {"order": "12345", "lines": 2}
    assert on.custom_headers == [("SalesOrder", "12345")]


def test_value_mapping_hits_both_directions_and_misses_with_null(host: ScriptHost) -> None:
    s = script("vm.groovy", """
import com.sap.it.api.ITApiFactory
import com.sap.it.api.mapping.ValueMappingApi
def Message processData(Message message) {
    def api = ITApiFactory.getApi(ValueMappingApi.class, null)
    message.setProperty('forward', api.getMappedValue('S4', 'Reason', 'Z1', 'BWP', 'Reason'))
    message.setProperty('backward', ITApiFactory.getService(ValueMappingApi, null).getMappedValue('BWP', 'Reason', 'OUT_OF_STOCK', 'S4', 'Reason'))
    message.setProperty('miss', String.valueOf(api.getMappedValue('S4', 'Reason', 'Z9', 'BWP', 'Reason')))
    return message
}""")
    r = host.run(s, value_mappings=[ValueMapping("S4", "Reason", "Z1", "BWP", "Reason", "OUT_OF_STOCK")])
    assert r.exception is None
    assert r.properties == {"forward": "OUT_OF_STOCK", "backward": "Z1", "miss": "null"}


def test_secure_store_credentials_and_missing_alias(host: ScriptHost) -> None:
    s = script("creds.groovy", """
import com.sap.it.api.ITApiFactory
import com.sap.it.api.securestore.SecureStoreService
import com.sap.it.api.securestore.exception.SecureStoreException
def Message processData(Message message) {
    def store = ITApiFactory.getService(SecureStoreService, null)
    def c = store.getUserCredential('S4_USER')
    message.setProperty('user', c.username)
    message.setProperty('passwordLength', c.password.length)
    message.setProperty('alias', c.credentialProperties.alias)
    message.setProperty('token', store.getAccesTokenForOauth2AuthorizationCodeCredential('GRAPH').accessToken)
    try {
        store.getUserCredential('NOPE')
    } catch (SecureStoreException e) {
        message.setProperty('missing', e.getClass().getName())
    }
    return message
}""")
    r = host.run(s, credentials={"S4_USER": UserCredential("CPI_USER", "s3cret!"),
                                 "GRAPH": AuthorizationCodeToken("eyJ0eXAi", "me@example.com")})
    assert r.exception is None, r.exception
    assert r.properties["user"] == "CPI_USER"
    assert r.properties["passwordLength"] == 7
    assert r.properties["alias"] == "S4_USER"
    assert r.properties["token"] == "eyJ0eXAi"
    assert r.properties["missing"] == "com.sap.it.api.securestore.exception.CredentialNotFoundException"
    assert "s3cret" not in repr(UserCredential("CPI_USER", "s3cret!"))


def test_v2_scripts_get_the_v2_message_and_fail_on_a_v1_step(host: ScriptHost) -> None:
    s = script("v2.groovy", """
def Message processData(Message message) {
    message.setProperty('type', message.getClass().getInterfaces()*.name.join(','))
    return message
}""", header=V2)
    r = host.run(s)  # api follows the import
    assert r.exception is None
    assert r.properties["type"] == "com.sap.it.script.v2.api.Message"
    wrong = host.run(s, api="v1")
    assert wrong.exception is not None and "MissingMethodException" in wrong.exception.class_name


def test_script_exception_names_class_message_and_line(host: ScriptHost) -> None:
    s = script("boom.groovy", """
def Message processData(Message message) {
    def order = [:]
    check(order)
    return message
}

def check(Map order) {
    throw new IllegalArgumentException("field 'orderId' is required")
}""")
    r = host.run(s, message=ScriptMessage(body="x"))
    f = r.exception
    assert f is not None
    assert f.class_name == "java.lang.IllegalArgumentException"
    assert f.message == "field 'orderId' is required"
    assert f.line == 10  # the throw (line 1 is the import)
    assert f.phase == "run"
    assert "check:10" in f.script_frames and "processData:5" in f.script_frames


def test_compile_error_is_reported_with_its_line(host: ScriptHost) -> None:
    r = host.run(script("broken.groovy", "def Message processData(Message message) {\n  return message\n"))
    assert r.exception is not None and r.exception.phase == "compile"
    assert "broken.groovy" in (r.exception.message or "")


def test_unknown_function_is_a_missing_method(host: ScriptHost) -> None:
    r = host.run(script("fn.groovy", "def Message other(Message m) { m }"), "processData")
    assert r.exception is not None and "MissingMethodException" in r.exception.class_name


def test_named_function_and_returned_message(host: ScriptHost) -> None:
    s = script("named.groovy", """
def Message second(Message message) {
    message.setBody('from second')
    return message
}""")
    r = host.run(s, "second")
    assert r.text == "from second" and r.returned_message


def test_cache_compiles_once_per_content(host: ScriptHost) -> None:
    name = f"cache{host.version.replace('.', '')}.groovy"
    a = host.run((name, V1 + "def Message processData(Message m) { m.setBody('a'); m }"))
    again = host.run((name, V1 + "def Message processData(Message m) { m.setBody('a'); m }"))
    changed = host.run((name, V1 + "def Message processData(Message m) { m.setBody('b'); m }"))
    assert a.compiled and not again.compiled and changed.compiled
    assert changed.text == "b"


def test_binding_is_shared_between_calls_as_on_the_tenant(host: ScriptHost) -> None:
    """A script that assigns a variable without `def` leaks it into the binding: the next message
    sees the previous one's value. The host reproduces that (and a fresh binding hides it)."""
    leaky = script(f"leaky{host.version.replace('.', '')}.groovy", """
def Message processData(Message message) {
    if (!binding.hasVariable('seen')) {
        seen = []
    }
    seen << message.getBody(String)
    message.setBody(seen.join(','))
    return message
}""")
    first = host.run(leaky, message=ScriptMessage(body="A"))
    second = host.run(leaky, message=ScriptMessage(body="B"))
    assert first.text == "A"
    assert second.text == "A,B", "the shared binding must carry the leaked variable to the next message"
    assert "seen" in second.binding_variables
    fresh = host.run(leaky, message=ScriptMessage(body="C"), binding="fresh")
    assert fresh.text == "C"


def test_attachments_cross_both_ways(host: ScriptHost) -> None:
    s = script("att.groovy", """
import javax.activation.DataHandler
def Message processData(Message message) {
    def text = message.getAttachments()['in.txt'].getInputStream().getText('UTF-8')
    message.getAttachments().put('out.txt', new DataHandler(text.toUpperCase(), 'text/plain'))
    def wrapper = message.getAttachmentWrapperObjects()['in.txt']
    message.setProperty('hdr', message.getAttachmentHeader('X-Source', wrapper))
    return message
}""")
    r = host.run(s, message=ScriptMessage(attachments={"in.txt": Attachment(b"caf\xc3\xa9", "text/plain", {"X-Source": "test"})}))
    assert r.exception is None, r.exception
    assert r.attachments["out.txt"].data.decode() == "CAFÉ"
    assert r.properties["hdr"] == "test"


def test_println_is_captured_not_mixed_into_the_protocol(host: ScriptHost) -> None:
    r = host.run(script("print.groovy", "def Message processData(Message m) { println 'hi ✓'; m }"))
    assert r.stdout == "hi ✓\n" and r.exception is None


def test_concurrent_calls_from_many_threads(host: ScriptHost) -> None:
    s = script("echo.groovy", """
def Message processData(Message message) {
    message.setHeader('n', message.getProperty('n'))
    message.setBody(message.getBody(String) * 2)
    return message
}""")

    def one(i: int) -> tuple[int, str, int]:
        r = host.run(s, message=ScriptMessage(body=f"{i};", properties={"n": i}))
        return i, r.text, r.headers["n"]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(120)))
    assert all(text == f"{i};{i};" and n == i for i, text, n in results)


# ---- crash isolation: dedicated hosts so the shared ones stay up --------------------------

def test_system_exit_is_reported_and_the_host_restarts() -> None:
    with ScriptHost("2.4") as host:
        killer = script("exit.groovy", "def Message processData(Message m) { System.exit(3); m }")
        with pytest.raises(ScriptHostCrashed) as crash:
            host.run(killer)
        assert crash.value.exit_code == 3
        assert "exit.groovy" in str(crash.value) and "System.exit" in str(crash.value)
        ok = host.run(script("after.groovy", "def Message processData(Message m) { m.setBody('alive'); m }"))
        assert ok.text == "alive"
        assert host.restarts == 1 and len(host.crashes) == 1


def test_heap_exhaustion_is_reported_and_the_host_restarts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("S4AMZ_SCRIPTHOST_XMX", "96m")
    with ScriptHost("4.0") as host:
        hog = script("hog.groovy", "def Message processData(Message m) { def l = []; while (true) { l << new byte[1 << 20] } }")
        with pytest.raises(ScriptHostCrashed) as crash:
            host.run(hog)
        assert "OutOfMemoryError" in str(crash.value)
        assert host.run(script("after.groovy", "def Message processData(Message m) { m }")).exception is None
        assert host.restarts == 1


def test_a_call_that_never_ends_times_out_and_the_host_recovers() -> None:
    with ScriptHost("2.4") as host:
        spin = script("spin.groovy", "def Message processData(Message m) { while (true) { } }")
        with pytest.raises(ScriptTimeout):
            host.run(spin, timeout=3)
        assert host.run(script("after.groovy", "def Message processData(Message m) { m }")).exception is None


def test_unbuilt_jvm_side_says_how_to_build(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.setenv("S4AMZ_HOME", str(tmp_path))
    with pytest.raises(JvmNotBuilt, match="make groovy"):
        ScriptHost("2.4").start()


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown Groovy runtime"):
        ScriptHost("3.0")
    with pytest.raises(FileNotFoundError):
        ScriptHost.shared("2.4").run("/nonexistent/script.groovy")


def test_shared_host_is_one_per_runtime() -> None:
    assert ScriptHost.shared("2.4") is ScriptHost.shared("2.4")
    assert ScriptHost.shared("2.4") is not ScriptHost.shared("4.0")
    assert threading.active_count() >= 1
