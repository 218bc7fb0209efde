"""The OData V2 receiver reading Atom with $expand: each entry keeps its own properties, and inline
entries become <to_Nav><ChildType>...</ChildType></to_Nav> as in the JSON branch (SAP's channels
default to Atom, and the fulfillment scan reads orders with their items that way)."""

from __future__ import annotations

from lxml import etree
from werkzeug.wrappers import Response

from builder import FlowBuilder, https_sender, odata_receiver
from runtime_helpers import post

ATOM = "http://www.w3.org/2005/Atom"
M = "http://schemas.microsoft.com/ado/2007/08/dataservices/metadata"
D = "http://schemas.microsoft.com/ado/2007/08/dataservices"


def _entry(order: str, changed: str, items: list[str]) -> str:
    inline = "".join(
        f'<entry><category term="API_SO.A_SalesOrderItemType"/><content type="application/xml"><m:properties>'
        f"<d:SalesOrderItem>{i}</d:SalesOrderItem><d:ProductionPlant>1710</d:ProductionPlant>"
        f"</m:properties></content></entry>" for i in items)
    # the inline feed comes before the entry's own content, as SAP Gateway writes it
    return (f'<entry><category term="API_SO.A_SalesOrderType"/>'
            f'<link rel="http://schemas.microsoft.com/ado/2007/08/dataservices/related/to_Item" '
            f'type="application/atom+xml;type=feed" title="to_Item"><m:inline><feed>{inline}</feed></m:inline></link>'
            f'<link rel="http://schemas.microsoft.com/ado/2007/08/dataservices/related/to_Text" title="to_Text" '
            f'href="A_SalesOrder(\'{order}\')/to_Text"/>'
            f'<content type="application/xml"><m:properties><d:SalesOrder>{order}</d:SalesOrder>'
            f'<d:LastChangeDateTime>{changed}</d:LastChangeDateTime><d:DeliveryBlockReason m:null="true"/>'
            f"</m:properties></content></entry>")


def test_atom_feed_with_inline_items_keeps_header_and_items_apart(runtime, receiver):
    feed = (f'<feed xmlns="{ATOM}" xmlns:m="{M}" xmlns:d="{D}">'
            + _entry("5000101", "2026-02-01T10:00:00.1234567Z", ["10", "20"])
            + _entry("5000102", "2026-02-01T10:00:01.0000000Z", []) + "</feed>")
    receiver.respond(lambda request: Response(feed, content_type="application/atom+xml"))
    b = FlowBuilder("Q")
    p = b.process()
    start, end = p.message_start(), p.message_end()
    call = p.request_reply(odata_receiver(receiver.url + "/sap/opu/odata/sap/API_SO", "A_SalesOrder",
                                          query="$expand=to_Item", content_type="application/atom+xml"))
    p.chain(start, call, end)
    b.sender(start, https_sender("/q"))
    runtime.deploy("Q", "1", b.zip())
    status, _, body = post(runtime, "/http/q", "")
    assert status == 200, body
    root = etree.fromstring(body)
    first, second = root.findall("A_SalesOrderType")
    assert first.findtext("SalesOrder") == "5000101"
    assert first.findtext("LastChangeDateTime") == "2026-02-01T10:00:00.1234567Z"
    assert first.find("SalesOrderItem") is None                      # item fields stay with the items
    assert first.find("DeliveryBlockReason") is None                 # m:null is left out, as in JSON
    items = first.findall("to_Item/A_SalesOrderItemType")
    assert [i.findtext("SalesOrderItem") for i in items] == ["10", "20"]
    assert items[0].findtext("ProductionPlant") == "1710"
    assert first.find("to_Text") is None                             # deferred navigation: not expanded
    assert second.findtext("SalesOrder") == "5000102" and second.find("to_Item") is not None
    assert second.findall("to_Item/*") == []
