/*
 * Buy with Prime products query, one page. Properties: BwpPageSize (1..20, default 20),
 * BwpCursor (endCursor of the previous page), BwpProductFilter (RSQL filter string, sent as ProductsInputFilter {rsql}).
 * Reading a page: the response's pageInfo.hasNextPage / endCursor drive the next call.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.json.JsonOutput
import groovy.transform.Field

@Field static final String QUERY = '''query Products($first: Int, $after: String, $filter: ProductsInputFilter) {
  products(first: $first, after: $after, filter: $filter) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ... on Product { id externalId { value } sku { value } amazonSku { marketplaceId value } offerPrime productDetailPageUrl } } }
  }
}'''

def Message processData(Message message) {
    def sizeText = (message.getProperty('BwpPageSize') ?: '20').toString().trim()
    if (!(sizeText ==~ /\d+/) || sizeText.toInteger() < 1 || sizeText.toInteger() > 20) {
        throw new IllegalArgumentException("bwpProductsQuery: property BwpPageSize must be a whole number from 1 to 20, got '${sizeText}'")
    }
    def variables = [first: sizeText.toInteger()]
    def cursor = message.getProperty('BwpCursor')
    if (cursor) {
        variables.after = cursor.toString()
    }
    def filter = message.getProperty('BwpProductFilter')
    if (filter) {
        variables.filter = [rsql: filter.toString()]
    }
    message.setHeader('Content-Type', 'application/json')
    message.setBody(JsonOutput.toJson([query: QUERY, variables: variables]))
    return message
}
