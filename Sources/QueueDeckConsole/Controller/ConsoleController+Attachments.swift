import Foundation
import QueueDeckDomain
import QueueDeckJournal
import QueueDeckMail

/// Opening and saving a ticket's attachments from the console.
extension ConsoleController {
    /// The attachment numbered `number` (from 1), or nil having said why not.
    func attachment(_ id: TicketID, _ number: Int) -> AttachmentRef? {
        guard let t = state[id] else { return nil }
        guard !t.attachments.isEmpty else { say("\(id) has no attachments", error: true); return nil }
        guard number >= 1, number <= t.attachments.count else {
            say("\(id) has \(t.attachments.count) attachment\(t.attachments.count == 1 ? "" : "s"): give a number from 1 to \(t.attachments.count)", error: true)
            return nil
        }
        let file = t.attachments[number - 1].file
        guard file.isKept else { say("\(file.summary): it was over the size limit when it came and was not kept", error: true); return nil }
        return file
    }

    func openAttachment(_ id: TicketID, _ number: Int) -> Outcome {
        guard let file = attachment(id, number) else { return .none }
        return .open(OpenRequest(ticket: id, number: number, file: file))
    }

    /// The attachment's bytes from the store, checked against their digest.
    func bytes(of file: AttachmentRef) throws -> [UInt8] {
        guard let hex = file.digest, let digest = BlobDigest(hex: hex) else { throw JournalError.refused(path: file.name, reason: "not kept") }
        return try desk.journal.blobs.get(digest)
    }

    /// `:save N [PATH]`: a new file readable by the agent alone, never over an existing one.
    func saveAttachment(_ t: Ticket, _ args: String) {
        let words = args.split(separator: " ", maxSplits: 1).map(String.init)
        guard let first = words.first, let n = Int(first) else { say("save: give the attachment's number, then a path if you like (:save 1 ~/invoice.pdf)", error: true); return }
        guard let file = attachment(t.id, n) else { return }
        var path = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : file.fileName
        // A path typed in quotes, as a shell would take it.
        if path.count >= 2, let q = path.first, q == "\"" || q == "'", path.last == q { path = String(path.dropFirst().dropLast()) }
        if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] { path = home + path.dropFirst(1) }
        path = GuardedFile.savePath(path, name: file.fileName)
        // Never over an existing file; said first, so a narrow flash line still says it.
        var st = stat()
        if lstat(path, &st) == 0 { say("not saved, a file of that name exists: \(path)", error: true); return }
        do {
            try GuardedFile.createPrivate(path, try bytes(of: file))
            say("saved \(file.fileName) as \(path)")
        } catch {
            say("not saved: \(error)", error: true)
        }
    }
}

extension ConsoleController {
    /// What the reply's `To:`, `Cc:` and `Attach:` lines ask for, checked: each address one mailbox,
    /// each file readable and under the desk's limit (then kept in the store). Lines left as the
    /// template gave them change nothing.
    func replyExtras(_ fields: [(name: String, value: String)], for t: Ticket) throws -> ReplyExtras {
        var x = ReplyExtras()
        for (name, value) in fields {
            switch name {
            case "to":
                let list = try checked(Recipients.parse(value, field: "To"))
                guard list.count == 1 else { throw ReplyFieldError(description: "To: give exactly one address (the Cc: line takes the others)") }
                if list[0].lowercased() != (t.customer.email ?? "").lowercased() { x.to = list[0] }
            case "cc":
                let list = try checked(Recipients.parse(value, field: "Cc"))
                if list.map({ $0.lowercased() }) != t.cc.map({ $0.lowercased() }) { x.cc = list }
            case "attach":
                guard !value.isEmpty else { continue }
                var path = value
                if path.hasPrefix("~/"), let home = ProcessInfo.processInfo.environment["HOME"] { path = home + path.dropFirst(1) }
                x.attachments.append(try desk.journal.blobs.storeFile(path, limit: desk.rules.intake.maxAttachmentBytes, typeOf: MediaTypes.guess))
            default:
                continue
            }
        }
        return x
    }

    func checked(_ r: Result<[String], RecipientError>) throws -> [String] {
        switch r {
        case .success(let list): return list
        case .failure(let e): throw ReplyFieldError(description: e.description)
        }
    }
}

struct ReplyFieldError: Error, CustomStringConvertible {
    let description: String
}
