/// One node of a message's MIME tree. Leaves keep their body encoded; `decodedBody` and `text`
/// decode on demand.
public struct MimePart: Sendable {
    public var headers: MailHeaders
    /// `type/subtype`, lower case; text/plain when absent or unreadable (RFC 2045 §5.2).
    public var contentType: String
    public var params: [String: String]
    /// `attachment`, `inline`, or nil.
    public var disposition: String?
    public var filename: String?
    public var rawBody: ArraySlice<UInt8>
    public var children: [MimePart] = []
    /// Problems met while splitting this part (missing boundary, truncated multipart, ...).
    public var problems: [String] = []

    /// Deeper nesting than this is read as an opaque body: no real mail needs it, and it bounds the
    /// work hostile input can cause.
    static let maxDepth = 40
    static let maxParts = 5_000

    public var isMultipart: Bool { contentType.hasPrefix("multipart/") }
    public var isAttachment: Bool { disposition == "attachment" }
    public var mainType: String { String(contentType.prefix { $0 != "/" }) }
    public var subType: String { contentType.firstIndex(of: "/").map { String(contentType[contentType.index(after: $0)...]) } ?? "" }

    public var decodedBody: [UInt8] { TransferEncoding.decode(rawBody, encoding: headers["content-transfer-encoding"]) }

    /// The part's text in its charset, line ends normalised to LF.
    public var text: (String, Charsets.Outcome) {
        let (s, outcome) = Charsets.decode(decodedBody, charset: params["charset"])
        return (s.replacingCRLF(), outcome)
    }

    /// Every part in depth-first order (this one first).
    public func walk(_ visit: (MimePart) -> Void) {
        visit(self)
        for c in children { c.walk(visit) }
    }

    static func parse(_ bytes: ArraySlice<UInt8>, defaultType: String = "text/plain", depth: Int = 0, budget: inout Int) -> MimePart {
        let (headers, bodyStart, headerProblems) = MailHeaders.parse(bytes)
        let ct = HeaderParameters(headers["content-type"])
        var type = ct.value
        if type.isEmpty || !type.contains("/") || type.hasPrefix("/") || type.hasSuffix("/") { type = headers["content-type"] == nil ? defaultType : "text/plain" }
        let disp = HeaderParameters(headers["content-disposition"])
        var part = MimePart(headers: headers, contentType: type, params: ct.params,
                            disposition: disp.value.isEmpty ? nil : disp.value,
                            filename: disp.params["filename"] ?? ct.params["name"],
                            rawBody: bytes[min(bodyStart, bytes.endIndex)...])
        part.problems = headerProblems
        budget -= 1
        guard depth < maxDepth, budget > 0 else {
            if type.hasPrefix("multipart/") || type == "message/rfc822" { part.problems.append("nested too deep; the rest is kept unread") }
            return part
        }
        if type.hasPrefix("multipart/") {
            guard let boundary = ct.params["boundary"], !boundary.isEmpty else {
                part.problems.append("\(type) without a boundary; read as text")
                part.contentType = "text/plain"
                return part
            }
            let childDefault = type == "multipart/digest" ? "message/rfc822" : "text/plain"
            let (bodies, problems) = split(part.rawBody, boundary: Array(("--" + boundary).utf8))
            part.problems += problems
            for b in bodies {
                part.children.append(parse(b, defaultType: childDefault, depth: depth + 1, budget: &budget))
                if budget <= 0 { part.problems.append("more than \(maxParts) parts; the rest is not read"); break }
            }
        } else if type == "message/rfc822" || type == "message/global" || type == "text/rfc822-headers" {
            let inner = TransferEncoding.decode(part.rawBody, encoding: headers["content-transfer-encoding"])
            part.children = [parse(inner[...], depth: depth + 1, budget: &budget)]
        }
        return part
    }

    /// Splits a multipart body at its boundary lines. The line end before a boundary belongs to it.
    static func split(_ body: ArraySlice<UInt8>, boundary: [UInt8]) -> ([ArraySlice<UInt8>], [String]) {
        var parts: [ArraySlice<UInt8>] = []
        var problems: [String] = []
        var partStart: Int?
        var closed = false
        var lineStart = body.startIndex
        while lineStart < body.endIndex {
            var lineEnd = lineStart
            while lineEnd < body.endIndex && body[lineEnd] != 0x0A { lineEnd += 1 }
            if body[lineStart] == 0x2D, isBoundary(body[lineStart..<lineEnd], boundary) {
                let final = lineEnd - lineStart >= boundary.count + 2 && body[lineStart + boundary.count] == 0x2D && body[lineStart + boundary.count + 1] == 0x2D
                if let s = partStart {
                    var end = lineStart
                    if end > s && body[end - 1] == 0x0A { end -= 1 }
                    if end > s && body[end - 1] == 0x0D { end -= 1 }
                    parts.append(body[s..<max(s, end)])
                }
                if final { closed = true; partStart = nil; break }
                partStart = min(lineEnd + 1, body.endIndex)
            }
            lineStart = lineEnd + 1
        }
        if let s = partStart {
            parts.append(body[s..<body.endIndex])
            problems.append("multipart ends without its closing boundary")
        } else if !closed && parts.isEmpty {
            problems.append("multipart body has no boundary line")
        }
        return (parts, problems)
    }

    static func isBoundary(_ line: ArraySlice<UInt8>, _ boundary: [UInt8]) -> Bool {
        guard line.count >= boundary.count, line.starts(with: boundary) else { return false }
        var rest = line.dropFirst(boundary.count)
        if rest.starts(with: [0x2D, 0x2D]) { rest = rest.dropFirst(2) }
        return rest.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
    }
}

extension String {
    func replacingCRLF() -> String {
        guard unicodeScalars.contains("\r") else { return self }
        var out = String.UnicodeScalarView()
        var prevCR = false
        for u in unicodeScalars {
            if u == "\r" { out.append("\n"); prevCR = true; continue }
            if u == "\n" && prevCR { prevCR = false; continue }
            prevCR = false
            out.append(u)
        }
        return String(out)
    }
}
