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
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue { path += "/" + file.fileName }
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

extension ConsoleController {
    /// `:contact group +vip -trial`, `:contact name Anne Bērziņa`, `:contact phone +371…`,
    /// `:contact email a@b`: the customer's card, and every open ticket of theirs with it.
    func editContact(_ t: Ticket, _ args: String) {
        let words = args.split(separator: " ", maxSplits: 1).map(String.init)
        let usage = "contact: group +vip -trial, name NAME, phone NUMBER or email ADDRESS"
        guard words.count == 2 else { say(usage, error: true); return }
        guard let who = t.customer.email ?? t.customer.phone, Customer.identityKey(of: who) != nil else {
            say("\(t.customer.name) has no address or number to find their contact by", error: true)
            return
        }
        var change = ContactChange(contact: who)
        let value = words[1].trimmingCharacters(in: .whitespaces)
        switch words[0].lowercased() {
        case "group", "groups":
            for g in value.split(separator: " ") where !change.group(String(g)) {
                say("contact group: +NAME adds, -NAME removes", error: true)
                return
            }
        case "name": change.name = value
        case "phone": change.addPhones = [value]
        case "email":
            switch Recipients.parse(value, field: "email") {
            case .success(let list) where list.count == 1: change.addEmails = list
            case .success: say("contact email: one address", error: true); return
            case .failure(let e): say(e.description, error: true); return
            }
        default: say(usage, error: true); return
        }
        do {
            let stored = try desk.perform(.editContact(change), sawVersion: nil)
            absorb()
            let updated = stored.filter { if case .customerUpdated = $0.event.kind { true } else { false } }.count
            let card = state[t.id]?.customer
            say("contact \(card?.name ?? t.customer.name) updated" + (card.map { $0.groups.isEmpty ? "" : " [" + $0.groups.joined(separator: ", ") + "]" } ?? "")
                + "; " + (updated == 1 ? "1 open ticket follows" : "\(updated) open tickets follow"))
        } catch {
            say("\(error)", error: true)
        }
    }
}
