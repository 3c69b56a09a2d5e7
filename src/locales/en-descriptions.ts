/**
 * What each status means, in English, keyed as the catalogs are: the registry id (`'404'`,
 * `'403.14'`) or the id and origin of a vendor's other meaning of a code (`'420 Spring'`).
 *
 * The English titles are the registry's phrases (src/phrases.ts, src/status-rows.ts), so only the descriptions
 * are written here; src/locales/en.ts puts the two together. This file imports nothing.
 *
 * @example
 * enDescriptions['404'] // 'The server found nothing at the requested URI, …'
 */
export const enDescriptions: Readonly<Record<string, string>> = {
  // 1xx
  '100':
    'The server has received the request headers and not rejected them; the client should go on sending the content, or ignore this response if the request is already complete.',
  '101':
    'The server agrees to switch to the protocol named in the Upgrade header field and will do so right after this response.',
  '102':
    'The server has accepted a long-running WebDAV request and is still working on it; no final response is available yet, so the client should keep waiting.',
  '103':
    'An interim response that sends some header fields, such as Link preloads, ahead of the final response so that the client can start fetching resources early.',
  '103 Unofficial':
    'An unofficial code from the resumable requests proposal, used to resume an interrupted PUT or POST request. Superseded by 103 Early Hints.',
  // 2xx
  '200':
    'The request succeeded. What the content holds depends on the method: the resource for GET, the outcome of the action for POST.',
  '201':
    'The request succeeded and created one or more new resources, usually identified by the Location header field.',
  '202':
    'The request has been accepted for processing, but processing has not finished and may still fail; check its status later.',
  '203':
    'The request succeeded, but a transforming proxy has modified the content it received from the origin server.',
  '204':
    'The request succeeded and there is no content to send back; the client can keep its current view.',
  '205':
    'The request succeeded; the client should reset its document view, for example clear the form it just submitted.',
  '206':
    'The server is sending only the parts of the resource asked for in the Range header field, for example to resume a download.',
  '207':
    'The content is a WebDAV XML message giving a separate status for each of several operations; check each of them.',
  '208':
    'The members of this WebDAV binding were already listed earlier in the same response and are not repeated.',
  '226':
    'The server fulfilled a GET request, and the content is the result of one or more instance manipulations, such as a delta, applied to the current resource.',
  // 3xx
  '300':
    'The resource has several representations, each with its own URI; the client or the user should pick one of them.',
  '301':
    'The resource has a new permanent URI, given in the Location header field; use that URI from now on and update any links.',
  '302':
    'The resource is temporarily at another URI, given in the Location header field; keep using the original URI for future requests.',
  '303':
    'The server points to another resource, given in the Location header field, that the client should fetch with GET, often to show the outcome of a POST.',
  '304':
    'The conditional request shows the resource has not changed since the version the client holds, so no content is sent; use the cached copy.',
  '305':
    'Deprecated: the resource was to be reached only through the proxy given in the Location header field. Clients ignore it for security reasons.',
  '306':
    'No longer used: it once told clients to send later requests through a given proxy. RFC 9110 keeps the code reserved.',
  '307':
    'The resource is temporarily at the URI in the Location header field; repeat the request there with the same method and content, but keep using the original URI.',
  '308':
    'The resource has moved for good to the URI in the Location header field; send this and future requests there with the same method and content.',
  // 4xx
  '400':
    'The server cannot or will not process the request because of a client error, such as malformed syntax or invalid framing; fix the request before sending it again.',
  '401':
    'The request lacks valid credentials for the resource. Authenticate as the WWW-Authenticate header field asks, then try again.',
  '401.1':
    'IIS rejected the logon because the user name or password is invalid; try again with correct credentials.',
  '401.2':
    'IIS could not log the user on because of how the server is configured, for example no authentication method the client supports is enabled.',
  '401.3':
    'The user is authenticated, but the access control list (ACL) of the requested file or folder denies access; its permissions must be changed to allow it.',
  '401.4': 'A filter installed on the IIS server denied authorization for the request.',
  '401.5': 'An ISAPI or CGI application on the IIS server denied authorization for the request.',
  '401.7': 'The URL authorization policy on the IIS server denied access to the resource.',
  '402':
    'Reserved for future use by HTTP; some APIs send it to say that payment or a higher quota is needed before the request can be served.',
  '403':
    'The server understood the request but refuses to fulfil it; repeating it with the same credentials will not help. Ask for access or use an account that has it.',
  '403.1':
    'IIS refused to run the requested program or script because execute permission is not granted on its folder.',
  '403.2':
    'IIS refused to serve the resource because read access is not granted on its folder, or no default document is available.',
  '403.3': 'IIS refused to write to the folder because write access is not granted on it.',
  '403.4':
    'The resource can be reached only over a secure connection; request it again with HTTPS.',
  '403.5':
    'The resource requires a secure connection with 128-bit encryption; use HTTPS with a client that supports it.',
  '403.6': "The server is configured to deny requests from the client's IP address.",
  '403.7':
    'The server requires a client certificate for authentication, and the request did not present a valid one.',
  '403.8':
    "A domain name restriction on the server denies access to the site from the client's domain or network.",
  '403.9':
    'More users are connected to the server than its configured connection limit allows; try again later.',
  '403.10': "IIS denied access because the server's configuration for this resource is invalid.",
  '403.11':
    'Access was denied because of a password change; log on again with the current password.',
  '403.12':
    'The client certificate is mapped to a user account that is denied access to this resource.',
  '403.13':
    'The client certificate presented has been revoked by its issuer; obtain a new, valid certificate.',
  '403.14':
    'The URL names a folder, directory browsing is disabled and there is no default document to serve; request a specific file.',
  '403.15': 'The server has reached its limit of client access licenses; try again later.',
  '403.16': 'The client certificate is not trusted by the server or is invalid.',
  '403.17':
    'The client certificate has expired or is not yet valid; use a certificate within its validity period.',
  '403.18': 'The requested URL cannot be run in the application pool configured for it (IIS 6.0).',
  '403.19': 'CGI applications cannot be run for the client in this application pool (IIS 6.0).',
  '403.20': 'Logon through Microsoft Passport failed (IIS 6.0); sign in again.',
  '404':
    'The server found nothing at the requested URI, or will not reveal that something exists there; check the address.',
  '404.0':
    'IIS could not find the requested file or folder; check the path, as the file may have been moved or deleted.',
  '404.1':
    'The web site cannot be reached on the requested port: its IP address does not accept requests on that port.',
  '404.2': 'The Web Service Extension lockdown policy of the IIS server blocked the request.',
  '404.3':
    'The MIME map policy blocked the request: the server has no MIME type or handler configured for this file extension.',
  '405':
    'The resource does not support the request method; the Allow header field lists the methods it does support.',
  '406':
    "The resource has no representation that matches the request's Accept header fields (type, language, encoding); relax those preferences and retry.",
  '407':
    'The client must first authenticate with the proxy, as the Proxy-Authenticate header field asks, and then repeat the request.',
  '408':
    'The server did not receive a complete request within the time it was prepared to wait and closed the connection; the client may send the request again.',
  '409':
    'The request conflicts with the current state of the resource, for example an edit based on an outdated version; resolve the conflict and resubmit.',
  '410':
    'The resource is no longer available at this URI, and this is likely permanent; remove links and bookmarks to it.',
  '411':
    'The server requires a Content-Length header field for this request; send it again with the length of its content.',
  '412':
    'One or more conditions in the request header fields, such as If-Match, evaluated to false on the server; fetch the current state and retry.',
  '413':
    'The request content is larger than the server is willing or able to process; send less data, or retry later if Retry-After is given.',
  '414':
    'The target URI is longer than the server is willing to interpret; shorten it, for example by moving query data into a POST body.',
  '415':
    "The server does not support the content's media type or encoding for this resource; send it in a supported format, as listed in Accept if given.",
  '416':
    "None of the ranges in the request's Range header field overlap the current extent of the resource; ask for a valid range.",
  '417':
    "The expectation in the request's Expect header field cannot be met by at least one of the inbound servers; send the request without it.",
  '418':
    "An April Fools' code from RFC 2324: a teapot refuses to brew coffee. Real HTTP servers do not use it, and RFC 9110 keeps 418 reserved.",
  '419':
    'Unofficial: Smoothwall and Foxwall firewalls return it when a configuration test is requested.',
  '419 Unofficial':
    'Unofficial: an authentication or session that was valid before has expired; sign in again.',
  '420':
    "Returned by version 1 of Twitter's Search and Trends API when the client is being rate limited; slow down. Later versions send 429 Too Many Requests.",
  '420 Spring': 'A deprecated code of the Spring Framework, sent when a method has failed.',
  '421':
    'The request was directed at a server that cannot produce a response for its target URI, for example over a reused connection; retry on a new connection.',
  '421 Unofficial':
    "Unofficial: the server sees too many connections from the client's IP address; close some connections and try again.",
  '422':
    'The server understands the content type and the syntax is correct, but it cannot process the instructions the content holds; fix their meaning and retry.',
  '423':
    'The source or destination resource of the method is locked (WebDAV); wait for the lock to be released or supply its lock token.',
  '424':
    'The method could not be performed on the resource because another action it depended on failed (WebDAV).',
  '425':
    'The server is unwilling to process a request that might be replayed, such as one sent in TLS early data; retry after the handshake has completed.',
  '425 WebDAV draft':
    'Defined for unordered collections in a draft of WebDAV Advanced Collections, but never part of a published standard.',
  '426':
    'The server refuses to perform the request using the current protocol; switch to the protocol named in the Upgrade header field.',
  '428':
    'The server requires the request to be conditional, to prevent lost updates; send it again with a precondition such as If-Match.',
  '429':
    'The client has sent too many requests in a given amount of time (rate limiting); wait before retrying, as long as Retry-After says if present.',
  '431':
    'The server will not process the request because one header field, or all of them together, are too large; reduce them and retry.',
  '440': "An IIS code: the client's session has expired; log in again.",
  '444':
    "nginx closed the connection without sending any response; the code only appears in nginx's logs.",
  '449':
    'A Microsoft code: the server cannot honour the request because required information is missing; retry after taking the appropriate action.',
  '450':
    'A Microsoft code: Windows Parental Controls are turned on and block access to the requested page.',
  '451':
    'Access to the resource is denied because of a legal demand, such as censorship or a court order; the Link header field may name who blocks it.',
  '451 IIS':
    "Sent by Exchange ActiveSync when a better server is available or the server cannot reach the user's mailbox; run Autodiscover again to find the right server.",
  '494':
    'An nginx code that predates 431: the request header is too large; reduce the size of its header fields.',
  '495': 'An nginx code: the client presented an invalid SSL client certificate.',
  '496': 'An nginx code: a client certificate is required but none was presented.',
  '497':
    'An nginx code: a plain HTTP request was sent to a port that listens for HTTPS; use https:// instead.',
  '498':
    'An Esri ArcGIS Server code: the token sent has expired or is otherwise invalid; obtain a new token.',
  '499':
    'An nginx code: the client closed the connection while the server was still processing the request, so no response could be sent.',
  '499 Esri':
    'An Esri ArcGIS Server code: a token is required but was not submitted; send the request again with a valid token.',
  '499 Antivirus':
    'Unofficial: antivirus software intercepted the request, for example because the site is considered malicious.',
  // 5xx
  '500':
    'The server met an unexpected condition that kept it from fulfilling the request; this is not a fault of the request, so try again later.',
  '500.100': 'An ASP page on the IIS server failed while processing the request.',
  '500.11': 'The application is shutting down on the IIS server; try again later.',
  '500.12': 'The application is restarting on the IIS server; try again in a moment.',
  '500.13': 'The IIS server is too busy to handle the request; try again later.',
  '500.14': 'The configuration of the application on the IIS server is invalid.',
  '500.15': 'The global.asa file cannot be requested directly.',
  '501':
    'The server does not support the functionality needed to fulfil the request, for example a request method it does not recognize.',
  '502':
    'The server, acting as a gateway or proxy, received an invalid response from an upstream server; try again later.',
  '503':
    'The server cannot handle the request right now because of overload or maintenance; this is temporary, so retry later, after Retry-After if given.',
  '504':
    'The server, acting as a gateway or proxy, did not receive a timely response from an upstream server; try again later.',
  '505':
    'The server does not support, or refuses to support, the major HTTP version of the request; retry with a supported version.',
  '506':
    'A server configuration error: the chosen variant is itself set up to negotiate content, which makes a loop (RFC 2295).',
  '507':
    'The server cannot store the representation needed to complete the request (WebDAV); free some space or send less data.',
  '508':
    'The server stopped the operation because it met an infinite loop while processing a request with Depth: infinity (WebDAV).',
  '509': 'The site has used up the bandwidth its hosting provider allows; try again later.',
  '510':
    'The request does not meet the extension policy of the resource; the server needs further extensions to fulfil it (RFC 2774, now historic).',
  '511':
    'The client must authenticate to gain network access, usually through a captive portal; sign in to the network first.',
  '520':
    'Cloudflare got an empty, unknown or unexpected response from the origin server; a catch-all error, so try again later.',
  '521': 'The origin server refused the connection from Cloudflare; the web server may be down.',
  '522': 'Cloudflare timed out while opening a TCP connection to the origin server.',
  '523':
    'Cloudflare could not reach the origin server, for example because its DNS records are wrong.',
  '524':
    'Cloudflare connected to the origin server, but the origin did not send an HTTP response in time.',
  '525': 'Cloudflare could not complete an SSL/TLS handshake with the origin server.',
  '526': 'Cloudflare could not validate the SSL/TLS certificate that the origin server presented.',
  '527': "The connection between Cloudflare and the origin's Railgun server failed or timed out.",
  '530':
    'The Pantheon platform has frozen this site, usually for inactivity; the site owner must unfreeze it.',
  '530 Cloudflare':
    "Cloudflare could not resolve the origin server's host name; the site owner must fix the origin's DNS records.",
  '598':
    'An informal code of some proxies: a network read behind the proxy timed out; try again later.',
  '599':
    'An informal code of some proxies: opening a network connection behind the proxy timed out; try again later.',
}
