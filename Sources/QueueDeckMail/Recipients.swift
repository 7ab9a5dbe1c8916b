/// Addresses an agent types for a reply (`--to`, `--cc`, the template's `To:` and `Cc:` lines):
/// comma-separated, each one mailbox with one valid address (`Anne <anne@example.com>` or the bare
/// address). Anything else is refused naming the field and the item, never guessed at.
public enum Recipients {
    /// The addresses, in order and without repeats; `none` or nothing gives an empty list.
    public static func parse(_ text: String, field: String) -> Result<[String], RecipientError> {
        let trimmed = text.trimmingLineWhitespace()
        if trimmed.isEmpty || trimmed.lowercased() == "none" { return .success([]) }
        // A line break or other control character could start a header of its own (`Bcc:`).
        if trimmed.unicodeScalars.contains(where: AddrSpec.isControl) {
            return .failure(RecipientError(field: field, item: trimmed, reason: "a line break or control character"))
        }
        var out: [String] = []
        for item in MailAddress.splitTopLevel(trimmed) {
            let shown = item.trimmingLineWhitespace()
            if shown.isEmpty { continue }
            // Group syntax (`team: a@x, b@y;`) names other mailboxes than it seems to (`a@b Bcc: x@evil`).
            if MailAddress.firstTopLevel(":", in: shown) != nil {
                return .failure(RecipientError(field: field, item: shown, reason: "a ':' outside quotes: one address per item, no groups"))
            }
            let boxes = MailAddress.list(shown)
            guard boxes.count == 1, let box = boxes.first else {
                return .failure(RecipientError(field: field, item: shown, reason: boxes.isEmpty ? "no address in it" : "more than one mailbox"))
            }
            if let why = box.problem { return .failure(RecipientError(field: field, item: shown, reason: why)) }
            guard !box.address.isEmpty else { return .failure(RecipientError(field: field, item: shown, reason: "no address in it")) }
            if !out.contains(where: { $0.lowercased() == box.address.lowercased() }) { out.append(box.address) }
        }
        guard out.count <= 50 else { return .failure(RecipientError(field: field, item: "\(out.count) addresses", reason: "at most 50")) }
        return .success(out)
    }
}

public struct RecipientError: Error, CustomStringConvertible, Equatable {
    public var field: String
    public var item: String
    public var reason: String
    public var description: String {
        // The mailbox parser's reasons quote the item already.
        reason.hasPrefix("'") ? "\(field): \(reason)" : "\(field): '\(AddrSpec.excerpt(item))' is not one email address (\(reason))"
    }
}

/// What a file's name says its content is, for files an agent attaches (the desk does not sniff bytes).
public enum MediaTypes {
    static let byExtension: [String: String] = [
        "pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
        "webp": "image/webp", "svg": "image/svg+xml", "txt": "text/plain", "log": "text/plain", "csv": "text/csv",
        "html": "text/html", "htm": "text/html", "json": "application/json", "xml": "application/xml",
        "zip": "application/zip", "gz": "application/gzip", "tar": "application/x-tar", "eml": "message/rfc822",
        "doc": "application/msword", "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls": "application/vnd.ms-excel", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt": "application/vnd.oasis.opendocument.text", "ods": "application/vnd.oasis.opendocument.spreadsheet",
        "mp3": "audio/mpeg", "wav": "audio/wav", "mp4": "video/mp4",
    ]

    public static func guess(fileName: String) -> String {
        guard let dot = fileName.lastIndex(of: "."), dot != fileName.startIndex else { return "application/octet-stream" }
        return byExtension[fileName[fileName.index(after: dot)...].lowercased()] ?? "application/octet-stream"
    }
}
