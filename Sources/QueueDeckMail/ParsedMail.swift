/// A message as intake needs it: who, what, the readable text, what is attached, whether a
/// machine sent it, and every problem met on the way. Parsing never fails: whatever cannot be read
/// is named in `problems`.
public struct ParsedMail: Sendable {
    public struct Attachment: Hashable, Sendable {
        public var name: String
        public var type: String
        public var size: Int
        /// The decoded bytes (transfer encoding undone).
        public var bytes: [UInt8]
    }

    /// Mail no person wrote: loops and noise that must never reopen a ticket or be answered.
    public enum Automatic: String, Sendable {
        /// Auto-Submitted, Precedence bulk/auto_reply/junk, X-Autoreply, or a null sender.
        case autoReply = "auto-reply"
        /// A delivery status notification (RFC 3464) or a mailer-daemon's returned mail.
        case bounce
    }

    public var headers: MailHeaders
    public var root: MimePart
    public var subject: String
    public var from: MailAddress?
    public var replyTo: MailAddress?
    public var to: [MailAddress]
    public var cc: [MailAddress]
    /// With angle brackets, as in the header (`<id@host>`); nil if absent.
    public var messageID: String?
    public var inReplyTo: [String]
    public var references: [String]
    /// The Date header as milliseconds since 1970, when it parses.
    public var date: Int64?
    /// The readable text: the first text/plain body part, else text rendered from text/html.
    public var text: String
    /// Where `text` came from: `text/plain`, `text/html`, or `none`.
    public var textSource: String
    public var attachments: [Attachment]
    public var automatic: Automatic?
    /// For a bounce: the message IDs of the returned message, and the recipients and status reported.
    public var bouncedMessageIDs: [String]
    public var bounceReport: String?
    /// The sender on an mbox `From ` line, if the input began with one.
    public var envelopeSender: String?
    public var problems: [String]
}

public enum MailParser {
    /// The message with every CR that is not followed by LF turned into LF, and how many there were.
    static func bareCRsAsLineBreaks(_ input: [UInt8]) -> (bytes: [UInt8], changed: Int) {
        guard input.contains(0x0D) else { return (input, 0) }
        var out = input
        var changed = 0
        for i in out.indices where out[i] == 0x0D && (i + 1 == out.count || out[i + 1] != 0x0A) {
            out[i] = 0x0A
            changed += 1
        }
        return (out, changed)
    }

    /// Parses one RFC 5322 message (an mbox `From ` line first is allowed).
    public static func parse(_ input: [UInt8]) -> ParsedMail {
        // CR alone is not a line ending in RFC 5322, but some mailers write only CR: read each as a
        // line break (a bare-CR message once lost its subject and body), and say so.
        let lines = bareCRsAsLineBreaks(input)
        var bytes = lines.bytes[...]
        var envelope: String?
        if bytes.starts(with: Array("From ".utf8)) {
            let nl = bytes.firstIndex(of: 0x0A) ?? bytes.endIndex
            let line = String(decoding: bytes[bytes.startIndex..<nl], as: UTF8.self)
            envelope = line.split(separator: " ").dropFirst().first.map(String.init)
            bytes = bytes[min(nl + 1, bytes.endIndex)...]
        }
        var budget = MimePart.maxParts
        let root = MimePart.parse(bytes, budget: &budget)
        let h = root.headers
        var problems: [String] = []
        if lines.changed > 0 { problems.append("\(lines.changed) bare CR line ending\(lines.changed == 1 ? "" : "s") read as line breaks") }
        root.walk { problems += $0.problems }
        if h.fields.isEmpty { problems.append("no header fields") }

        let fromField = h["from"]
        let from = MailAddress.first(fromField)
        if fromField == nil { problems.append("no From header") } else if from == nil { problems.append("From header has no address") }
        if let why = from?.problem { problems.append("From: \(why)") }
        let authors = MailAddress.list(fromField).count
        if authors > 1 { problems.append("From names \(authors) mailboxes; the first is taken as the sender") }
        if let why = MailAddress.first(h["reply-to"])?.problem { problems.append("Reply-To: \(why)") }

        // Body: Python's get_body order — depth first, attachments and message/* skipped.
        var textSource = "none"
        var text = ""
        var chosen: [Int]?  // the body part's path in the tree, left out of the attachments
        if let (part, path) = findBody(root, subtype: "plain", path: []) {
            let (t, outcome) = part.text
            text = t
            textSource = "text/plain"
            chosen = path
            note(outcome, "body", &problems)
        } else if let (part, path) = findBody(root, subtype: "html", path: []) {
            let (t, outcome) = part.text
            text = HTMLText.text(t)
            textSource = "text/html"
            chosen = path
            note(outcome, "body", &problems)
        }

        var attachments: [ParsedMail.Attachment] = []
        collectAttachments(root, path: [], chosen: chosen, insideMessage: false, into: &attachments)

        var bounced: [String] = []
        var report: String?
        let automatic = classify(h, root: root, envelope: envelope, from: from, bounced: &bounced, report: &report)

        return ParsedMail(
            headers: h, root: root,
            subject: h.decoded("subject").map(collapseSpaces) ?? "",
            from: from,
            replyTo: MailAddress.first(h["reply-to"]),
            to: MailAddress.list(h["to"]),
            cc: MailAddress.list(h["cc"]),
            messageID: MailAddress.messageIDs(h["message-id"]).first,
            inReplyTo: MailAddress.messageIDs(h["in-reply-to"]),
            references: MailAddress.messageIDs(h["references"]),
            date: h["date"].flatMap(MailDate.parse),
            text: text, textSource: textSource,
            attachments: attachments,
            automatic: automatic,
            bouncedMessageIDs: bounced, bounceReport: report,
            envelopeSender: envelope,
            problems: problems)
    }

    static func note(_ o: Charsets.Outcome, _ what: String, _ problems: inout [String]) {
        switch o {
        case .clean: break
        case .replaced(let n): problems.append("\(what): \(n) byte(s) not valid in the declared charset, shown as �")
        case .unknownCharset(let used): problems.append("\(what): unknown or wrong charset, read as \(used)")
        }
    }

    static func collapseSpaces(_ s: String) -> String {
        // Unfolded headers keep the folding white space; a subject shown on one line needs none of it.
        String(s.map { $0 == "\t" || $0 == "\r" || $0 == "\n" ? " " : $0 })
    }

    static func findBody(_ part: MimePart, subtype: String, path: [Int]) -> (MimePart, [Int])? {
        if part.isAttachment { return nil }
        if part.mainType == "text" { return part.subType == subtype ? (part, path) : nil }
        guard part.isMultipart else { return nil }
        if part.subType == "related" {
            let start = part.params["start"]
            let index = start.flatMap { s in part.children.firstIndex { $0.headers["content-id"] == s } } ?? 0
            guard index < part.children.count else { return nil }
            return findBody(part.children[index], subtype: subtype, path: path + [index])
        }
        for (i, c) in part.children.enumerated() {
            if let found = findBody(c, subtype: subtype, path: path + [i]) { return found }
        }
        return nil
    }

    static func collectAttachments(_ part: MimePart, path: [Int], chosen: [Int]?, insideMessage: Bool, into out: inout [ParsedMail.Attachment]) {
        if part.isMultipart {
            for (i, c) in part.children.enumerated() { collectAttachments(c, path: path + [i], chosen: chosen, insideMessage: insideMessage, into: &out) }
            return
        }
        guard path != chosen else { return }
        let isText = part.mainType == "text" && !part.isAttachment && part.filename == nil
        let isReportPart = part.contentType.hasPrefix("message/") && part.filename == nil
        // A pointer to a file kept elsewhere (RFC 2046 §5.2.3): no bytes of its own to keep.
        if part.contentType == "message/external-body" { return }
        if isText || isReportPart || path.isEmpty { return }
        let name = part.filename ?? "unnamed." + (part.subType.isEmpty ? "bin" : part.subType)
        let bytes = part.decodedBody
        out.append(ParsedMail.Attachment(name: name, type: part.contentType, size: bytes.count, bytes: bytes))
    }

    /// Auto-replies and bounces, by the headers RFC 3834 and RFC 3464 define and what MTAs send.
    static func classify(_ h: MailHeaders, root: MimePart, envelope: String?, from: MailAddress?,
                         bounced: inout [String], report: inout String?) -> ParsedMail.Automatic? {
        let isReport = root.contentType == "multipart/report" && root.params["report-type"]?.lowercased() == "delivery-status"
        let local = from?.address.split(separator: "@").first.map { $0.lowercased() } ?? ""
        let nullSender = h["return-path"].map { $0.filter { !$0.isWhitespace } == "<>" } ?? false
            || envelope == "MAILER-DAEMON" || envelope == "<>" || (from?.address.isEmpty == true && from?.problem == nil)
        let daemon = ["mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"].contains(local)
        let subject = (h.decoded("subject") ?? "").lowercased()
        let bounceWords = ["undeliver", "delivery status", "delivery failure", "delivery has failed", "returned mail",
                           "delivery notification", "failure notice", "mail delivery failed"]
        if isReport || (daemon || nullSender) && (bounceWords.contains { subject.contains($0) } || daemon) {
            root.walk { p in
                if p.contentType == "message/rfc822" || p.contentType == "text/rfc822-headers" || p.contentType == "message/global" {
                    for c in p.children { bounced += MailAddress.messageIDs(c.headers["message-id"]) }
                }
                if p.contentType == "message/delivery-status" {
                    report = deliveryStatus(p)
                }
            }
            return .bounce
        }
        if let a = h["auto-submitted"], a.trimmingLineWhitespace().lowercased().prefix(2) != "no" { return .autoReply }
        if let p = h["precedence"]?.trimmingLineWhitespace().lowercased(), ["bulk", "auto_reply", "junk"].contains(p) { return .autoReply }
        if h["x-autoreply"] != nil || h["x-autorespond"] != nil || h["x-autoresponder"] != nil { return .autoReply }
        if nullSender { return .autoReply }
        return nil
    }

    /// "to anne@example.com: 5.1.1 (failed)" from a message/delivery-status part.
    static func deliveryStatus(_ p: MimePart) -> String {
        let text = String(decoding: p.decodedBody, as: UTF8.self).replacingCRLF()
        var items: [String] = []
        var recipient: String?, action: String?, status: String?, diagnostic: String?
        func flush() {
            if let r = recipient {
                var s = "to \(r)"
                if let status { s += ": \(status)" }
                if let action { s += " (\(action))" }
                if let diagnostic { s += " — \(diagnostic)" }
                items.append(s)
            }
            recipient = nil; action = nil; status = nil; diagnostic = nil
        }
        for block in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let parts = block.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].lowercased().trimmingLineWhitespace()
            let value = parts[1].trimmingLineWhitespace()
            let afterSemicolon = value.split(separator: ";", maxSplits: 1).last.map { String($0).trimmingLineWhitespace() } ?? value
            switch name {
            case "final-recipient", "original-recipient":
                if name == "final-recipient" { flush(); recipient = afterSemicolon } else if recipient == nil { recipient = afterSemicolon }
            case "action": action = value
            case "status": status = value
            case "diagnostic-code": diagnostic = afterSemicolon
            default: break
            }
        }
        flush()
        let shown = items.prefix(3).joined(separator: "; ")
        return items.count > 3 ? shown + "; and \(items.count - 3) more" : shown
    }
}
