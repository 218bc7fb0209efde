/*
 * Attaches the body to the message processing log when asked, with secrets masked.
 *
 * Asked when the exchange property LogPayload is "true" (an externalized parameter the iFlow copies
 * into it), or when SAP_MPL_LogLevel_Overall is DEBUG or TRACE. Never attaches when the message log
 * is off (log level NONE). Properties: LogPayloadName (attachment name, default "payload"),
 * LogPayloadMaxChars (default 1000000; longer bodies are cut and marked).
 * Masked: JSON fields and XML elements named like access_token, refresh_token, client_secret,
 * password, secret, authorization, x-amz-access-token, apiKey; LWA tokens (Atza|..., Atzr|...);
 * "Bearer ..." values. The message itself is not changed.
 */
import com.sap.gateway.ip.core.customdev.util.Message
import groovy.transform.Field

import java.util.regex.Matcher
import java.util.regex.Pattern

@Field static final Pattern JSON_SECRET = Pattern.compile('("' + secretNames() + '"\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"', Pattern.CASE_INSENSITIVE)
@Field static final Pattern XML_SECRET = Pattern.compile('(<(?:[\\w.-]+:)?(' + secretNames() + ')(?:\\s[^>]*)?>)[^<]*(</(?:[\\w.-]+:)?\\2>)', Pattern.CASE_INSENSITIVE)
@Field static final Pattern FORM_SECRET = Pattern.compile('((?:^|[&?])' + secretNames() + '=)[^&\\s]*', Pattern.CASE_INSENSITIVE)
@Field static final Pattern LWA_TOKEN = Pattern.compile('Atz[ar]\\|[A-Za-z0-9_\\-|.+/=]+')
@Field static final Pattern BEARER = Pattern.compile('(Bearer\\s+)[A-Za-z0-9_\\-.+/=|]+')

/** Field and element names whose values are secrets (a method: Groovy 2.4 cannot read one static field from another's initializer). */
static String secretNames() {
    return '(?:access_token|refresh_token|client_secret|password|passwd|secret|authorization|x-amz-access-token|api[_-]?key|token)'
}

def Message processData(Message message) {
    def messageLog = messageLogFactory.getMessageLog(message)
    if (messageLog == null || !wanted(message)) {
        return message
    }
    def name = (message.getProperty('LogPayloadName') ?: 'payload').toString()
    def max = (message.getProperty('LogPayloadMaxChars') ?: '1000000').toString().toInteger()
    def body = message.getBody(String) ?: ''
    def truncated = body.length() > max
    def text = mask(truncated ? body.substring(0, max) : body)
    if (truncated) {
        text = text + "\n[... cut after ${max} of ${body.length()} characters]"
    }
    def contentType = (message.getHeader('Content-Type', String) ?: 'text/plain').split(';')[0].trim()
    messageLog.addAttachmentAsString(name, text, contentType)
    return message
}

boolean wanted(Message message) {
    if ('true'.equalsIgnoreCase(String.valueOf(message.getProperty('LogPayload')))) {
        return true
    }
    def level = String.valueOf(message.getProperty('SAP_MPL_LogLevel_Overall')).toUpperCase()
    return level == 'DEBUG' || level == 'TRACE'
}

/** Masks every secret the patterns know, keeping the surrounding structure intact. */
String mask(String text) {
    def out = JSON_SECRET.matcher(text).replaceAll('$1"***"')
    out = XML_SECRET.matcher(out).replaceAll('$1***$3')
    out = FORM_SECRET.matcher(out).replaceAll('$1***')
    out = LWA_TOKEN.matcher(out).replaceAll(Matcher.quoteReplacement('Atz*|***'))
    return BEARER.matcher(out).replaceAll('$1***')
}
