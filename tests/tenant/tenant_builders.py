"""Small artifact zips for tenant and emulator tests, built the way real exports are laid out.

These are test fixtures, not product code: the generator builds the real packages. They carry an
HTTPS sender, an HTTP receiver with a credential alias, externalized parameters and a CRLF,
72-byte-wrapped MANIFEST, so upload, diff, parameters, endpoints and alias checks all have
something real to work on.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

FIXED = (2026, 1, 8, 9, 56, 48)


def manifest(artifact_id: str, name: str, version: str, bundle_type: str = "IntegrationFlow",
             extra: dict[str, str] | None = None) -> bytes:
    """A MANIFEST.MF with CRLF line ends and 72-byte wrapping."""
    headers = {"Manifest-Version": "1.0", "Bundle-ManifestVersion": "2", "Bundle-Name": name,
               "Bundle-SymbolicName": f"{artifact_id}; singleton:=true", "Bundle-Version": version,
               "SAP-BundleType": bundle_type, "SAP-NodeType": "IFLMAP", "SAP-RuntimeProfile": "iflmap",
               "Import-Package": "com.sap.esb.application.services.cxf.interceptor,com.sap.esb.security,"
                                 "com.sap.it.op.agent.api,org.apache.camel,org.osgi.framework,org.slf4j",
               "Origin-Bundle-Name": name, "Origin-Bundle-SymbolicName": artifact_id,
               "Origin-Bundle-Version": version, "Origin-ModifiedDate": "1767866215464"}
    headers.update(extra or {})
    lines: list[bytes] = []
    for key, value in headers.items():
        raw = f"{key}: {value}".encode("utf-8")
        lines.append(raw[:72])
        rest = raw[72:]
        while rest:
            lines.append(b" " + rest[:71])
            rest = rest[71:]
    return b"\r\n".join(lines) + b"\r\n\r\n"


def _prop_line(key: str, value: str) -> str:
    return key.replace(" ", "\\ ") + "=" + value


def iflw(artifact_id: str, *, https_path: str = "{{Sender Address}}", credential: str = "{{Credential Name}}",
         description: str = "", duplicate_ids: bool = False) -> bytes:
    """A small .iflw: HTTPS sender -> process -> HTTP receiver with a credential alias."""
    end_id = "StartEvent_2" if duplicate_ids else "EndEvent_2"
    text = f"""<?xml version="1.0" encoding="UTF-8"?><bpmn2:definitions xmlns:bpmn2="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:ifl="http:///com.sap.ifl.model/Ifl.xsd" id="Definitions_1">
    <bpmn2:collaboration id="Collaboration_1" name="Default Collaboration">
        <bpmn2:documentation id="Documentation_1" textFormat="text/plain">{escape(description)}</bpmn2:documentation>
        <bpmn2:participant id="Participant_1" ifl:type="EndpointSender" name="Sender"/>
        <bpmn2:participant id="Participant_2" ifl:type="EndpointRecevier" name="Receiver"/>
        <bpmn2:participant id="Participant_Process_1" ifl:type="IntegrationProcess" name="Integration Process" processRef="Process_1"/>
        <bpmn2:messageFlow id="MessageFlow_1" name="HTTPS" sourceRef="Participant_1" targetRef="StartEvent_2">
            <bpmn2:extensionElements>
                <ifl:property><key>ComponentType</key><value>HTTPS</value></ifl:property>
                <ifl:property><key>direction</key><value>Sender</value></ifl:property>
                <ifl:property><key>urlPath</key><value>{escape(https_path)}</value></ifl:property>
                <ifl:property><key>senderAuthType</key><value>RoleBased</value></ifl:property>
                <ifl:property><key>userRole</key><value>ESBMessaging.send</value></ifl:property>
            </bpmn2:extensionElements>
        </bpmn2:messageFlow>
        <bpmn2:messageFlow id="MessageFlow_2" name="HTTP" sourceRef="ServiceTask_1" targetRef="Participant_2">
            <bpmn2:extensionElements>
                <ifl:property><key>ComponentType</key><value>HTTP</value></ifl:property>
                <ifl:property><key>direction</key><value>Receiver</value></ifl:property>
                <ifl:property><key>httpAddressWithoutQuery</key><value>{{{{Receiver Address}}}}</value></ifl:property>
                <ifl:property><key>authenticationMethod</key><value>Basic</value></ifl:property>
                <ifl:property><key>credentialName</key><value>{escape(credential)}</value></ifl:property>
            </bpmn2:extensionElements>
        </bpmn2:messageFlow>
    </bpmn2:collaboration>
    <bpmn2:process id="Process_1" name="Integration Process">
        <bpmn2:startEvent id="StartEvent_2" name="Start"/>
        <bpmn2:serviceTask id="ServiceTask_1" name="Call Receiver"/>
        <bpmn2:endEvent id="{end_id}" name="End"/>
    </bpmn2:process>
</bpmn2:definitions>
"""
    return text.encode("utf-8")


def iflow_zip(artifact_id: str, version: str = "1.0.0", name: str | None = None, *,
              parameters: dict[str, str] | None = None, https_path: str = "{{Sender Address}}",
              credential: str = "{{Credential Name}}", description: str = "", duplicate_ids: bool = False,
              date_line: str = "#Thu Jan 08 09:56:48 UTC 2026", manifest_extra: dict[str, str] | None = None,
              crlf_iflw: bool = False) -> bytes:
    """A complete integration flow zip."""
    name = name or artifact_id.replace("_", " ")
    params = {"Sender Address": f"/{artifact_id.lower()}", "Receiver Address": "http://localhost:1/x",
              "Credential Name": "S4_Basic"} if parameters is None else parameters
    prop = "\n".join([date_line] + [_prop_line(k, v) for k, v in params.items()]) + "\n"
    propdef = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?><parameters>" + "".join(
        f"<parameter><key/><name>{escape(k)}</name><type>xsd:string</type><isRequired>false</isRequired>"
        f"<constraint/><description/><additionalMetadata/></parameter>" for k in params) + "</parameters>"
    flow = iflw(artifact_id, https_path=https_path, credential=credential, description=description,
                duplicate_ids=duplicate_ids)
    if crlf_iflw:
        flow = flow.replace(b"\n", b"\r\n")
    files = {
        "META-INF/MANIFEST.MF": manifest(artifact_id, name, version, extra=manifest_extra),
        ".project": f"<?xml version=\"1.0\" encoding=\"UTF-8\"?><projectDescription><name>{artifact_id}</name>"
                    "</projectDescription>".encode(),
        "metainfo.prop": f"#Store metainfo properties\n#Thu Jan 08 09:56:48 UTC 2026\ndescription={description}\n".encode(),
        "src/main/resources/parameters.prop": prop.encode("utf-8"),
        "src/main/resources/parameters.propdef": propdef.encode("utf-8"),
        f"src/main/resources/scenarioflows/integrationflow/{artifact_id}.iflw": flow,
    }
    return _zip(files)


def value_mapping_zip(artifact_id: str, version: str = "1.0.0",
                      groups: list[tuple[tuple[str, str, str], tuple[str, str, str]]] | None = None) -> bytes:
    """A value mapping artifact zip."""
    groups = groups if groups is not None else [(("SAP", "ShippingCondition", "01"), ("AMAZON", "DeliverySpeed", "STANDARD")),
                                                (("SAP", "ShippingCondition", "02"), ("AMAZON", "DeliverySpeed", "EXPEDITED"))]
    body = "".join(
        f'<group id="g{i}">' + "".join(f"<entry><agency>{a}</agency><schema>{s}</schema><value>{v}</value></entry>"
                                        for a, s, v in pair) + "</group>" for i, pair in enumerate(groups))
    files = {
        "META-INF/MANIFEST.MF": manifest(artifact_id, artifact_id.replace("_", " "), version, "ValueMapping"),
        ".project": f"<projectDescription><name>{artifact_id}</name></projectDescription>".encode(),
        "value_mapping.xml": f'<vm version="2.0">{body}</vm>'.encode(),
    }
    return _zip(files)


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            info = zipfile.ZipInfo(path, FIXED)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def write_dist(folder, zips: dict[str, bytes], package_id: str = "S4AMZ_Test") -> None:
    """Write zips and a package.json the way ``s4amz build`` lays out ``dist/``."""
    import json

    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob("*.zip"):
        if stale.stem not in zips:
            stale.unlink()
    for artifact_id, data in zips.items():
        (folder / f"{artifact_id}.zip").write_bytes(data)
    (folder / "package.json").write_text(json.dumps({"Id": package_id, "Name": "S4AMZ test package",
                                                     "ShortText": "test", "Version": "1.0.0", "Vendor": "s4amz"}))
