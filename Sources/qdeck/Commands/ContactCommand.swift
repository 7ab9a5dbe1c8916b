import ArgumentParser
import Foundation
import QueueDeckDomain
import QueueDeckMail
import QueueDeckText

/// The contact directory: every customer across their tickets, by address and number.
struct ContactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "contact",
        abstract: "The contact directory: list, show, edit and merge customers.",
        discussion: "A contact is named by any of its email addresses or phone numbers. Groups (such as vip) apply to the contact's open tickets at once (SLA and order; their history says so) and to every new one.",
        subcommands: [ListContacts.self, ShowContact.self, SetContact.self, MergeContacts.self])

    struct ListContacts: DeskCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List contacts; words filter by name, address or number, group:NAME by group.")
        @OptionGroup var globals: GlobalOptions
        @Argument(help: "Words (all must match) and group:NAME.") var filter: [String] = []
        @Flag(name: .long, help: "Print JSON.") var json = false

        func execute() throws {
            let session = try DeskSession(globals, writable: false)
            let directory = ContactDirectory(session.state)
            // Folded as the ticket filter folds: case and accents ignored (berzina finds Bērziņa).
            let words = filter.map { TicketFilter.fold($0) }
            let shown = directory.entries.filter { e in
                words.allSatisfy { w in
                    if w.hasPrefix("group:") { return e.card.groups.contains(String(w.dropFirst(6))) }
                    let hay = TicketFilter.fold(([e.card.name] + e.card.emails + e.card.phones).joined(separator: " "))
                    return hay.contains(w) || (Customer.phoneKey(w).map { k in e.card.phones.contains { Customer.phoneKey($0) == k } } ?? false)
                }
            }
            let ctx = session.viewContext()
            if json { return try printJSON(shown.map { ContactJSON($0, state: session.state, ctx: ctx) }) }
            if shown.isEmpty { return emit(filter.isEmpty ? "no contacts yet" : "no contact matches") }
            for e in shown {
                let open = e.tickets.filter { id in session.state[id].map { ctx.status($0).isUnresolved } ?? false }.count
                emit(TextFormat.cell(e.card.name, 24) + " " + TextFormat.cell((e.card.emails + e.card.phones).joined(separator: ", "), 44) + " "
                     + TextFormat.cell(e.card.groups.map { $0.uppercased() }.joined(separator: ","), 10)
                     + " \(countPhrase(e.tickets.count, "ticket")), \(open) open")
            }
        }
    }

    struct ShowContact: DeskCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "One contact: its card and tickets.")
        @OptionGroup var globals: GlobalOptions
        @Argument(help: "An email address or phone number of the contact.") var contact: String
        @Flag(name: .long, help: "Print JSON.") var json = false

        func execute() throws {
            let session = try DeskSession(globals, writable: false)
            let e = try entry(contact, ContactDirectory(session.state))
            let ctx = session.viewContext()
            if json { return try printJSON(ContactJSON(e, state: session.state, ctx: ctx)) }
            emit(e.card.name + (e.card.groups.isEmpty ? "" : "  [" + e.card.groups.map { $0.uppercased() }.joined(separator: ", ") + "]"))
            for a in e.card.emails { emit("  ✉ \(a)") }
            for p in e.card.phones { emit("  ☎ \(p)") }
            emit(e.edited ? "  (card edited by agents)" : "  (as their tickets say)")
            emit("")
            for id in e.tickets {
                guard let t = session.state[id] else { continue }
                emit("\(t.id)  \(TextFormat.cell(t.channel.rawValue, 5)) \(TextFormat.cell(ctx.status(t).rawValue, 9)) \(t.createdAt.isoUTC)  \(ScreenText.line(t.subject))")
            }
        }
    }

    struct SetContact: DeskCommand {
        static let configuration = CommandConfiguration(
            commandName: "set", abstract: "Change a contact: --name, --group '+vip -trial', --email, --phone.",
            discussion: "Example: qdeck contact set anne@example.org --group +vip --phone '+371 2000 0000'")
        @OptionGroup var globals: GlobalOptions
        @Argument(help: "An email address or phone number of the contact.") var contact: String
        @Option(name: .long, help: "The contact's name.") var name: String?
        @Option(name: .long, parsing: .unconditionalSingleValue, help: ArgumentHelp("+GROUP adds, -GROUP removes (repeatable, or several in one quoted value).", valueName: "±group")) var group: [String] = []
        @Option(name: .long, help: "Another email address of the contact (repeatable).") var email: [String] = []
        @Option(name: .long, help: "Another phone number of the contact (repeatable).") var phone: [String] = []

        func execute() throws {
            var change = ContactChange(contact: contact, name: name)
            // `--group +vip --group -trial`, or the words in one value: `--group '+vip -trial'`.
            for g in group.flatMap({ $0.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init) }) where !change.group(g) {
                throw Failure(code: Exit.usage, message: "--group \(g): write +NAME to add or -NAME to remove")
            }
            for e in email {
                switch Recipients.parse(e, field: "--email") {
                case .success(let list) where list.count == 1: change.addEmails.append(list[0])
                case .success: throw Failure(code: Exit.usage, message: "--email: give one address")
                case .failure(let why): throw Failure(code: Exit.usage, message: why.description)
                }
            }
            change.addPhones = phone
            let session = try DeskSession(globals, writable: true)
            try report(session, try session.run(.editContact(change)))
        }
    }

    struct MergeContacts: DeskCommand {
        static let configuration = CommandConfiguration(
            commandName: "merge", abstract: "Make two contacts one: B's addresses, numbers and groups join A's card.")
        @OptionGroup var globals: GlobalOptions
        @Argument(help: "The contact that stays (an address or number).") var a: String
        @Argument(help: "The contact merged into it.") var b: String

        func execute() throws {
            let session = try DeskSession(globals, writable: true)
            try report(session, try session.run(.mergeContacts(into: a, from: b)))
        }
    }
}

/// The contact named by an address or number, or a clear refusal.
func entry(_ text: String, _ directory: ContactDirectory) throws -> ContactDirectory.Entry {
    guard let key = Customer.identityKey(of: text) else { throw Failure(code: Exit.usage, message: "'\(text)': name a contact by an email address or a phone number") }
    guard let e = directory.entry(for: key) else { throw Failure(code: Exit.noInput, message: "no contact has the address or number '\(text)'") }
    return e
}

/// The card as it is now, and the open tickets it changed.
func report(_ session: DeskSession, _ stored: [StoredEvent]) throws {
    for e in stored {
        switch e.event.kind {
        case .contactEdited(let edit):
            let c = edit.card
            emit("contact \(c.name): " + (c.emails + c.phones).joined(separator: ", ") + (c.groups.isEmpty ? "" : " [" + c.groups.joined(separator: ", ") + "]")
                 + (edit.merged.isEmpty ? "" : " (merged \(edit.merged.joined(separator: ", ")))"))
        case .customerUpdated:
            emit("\(e.event.ticket) customer card updated (its SLA and order follow), version \(e.version)")
        case .created, .customerMessage, .agentReply, .note, .reassigned, .postponed, .resolved, .reopened, .priorityChanged, .tagged, .claimed,
             .abandoned, .presence, .intake, .delivery, .selfService, .attached, .ccChanged, .automation, .unknown:
            break
        }
    }
}

/// A contact as `contact list --json` and `contact show --json` print it.
struct ContactJSON: Encodable {
    let key: String
    let name: String
    let emails: [String]
    let phones: [String]
    let groups: [String]
    let edited: Bool?
    let tickets: [TicketRef]?

    struct TicketRef: Encodable {
        let id: String
        let channel: String
        let status: String
        let subject: String
    }

    init(key: String, card: ContactCard) {
        self.key = key
        name = card.name
        emails = card.emails
        phones = card.phones
        groups = card.groups
        edited = nil
        tickets = nil
    }

    init(_ e: ContactDirectory.Entry, state: DeskState, ctx: ViewContext) {
        key = e.key
        name = e.card.name
        emails = e.card.emails
        phones = e.card.phones
        groups = e.card.groups
        edited = e.edited
        tickets = e.tickets.compactMap { id in
            state[id].map { TicketRef(id: $0.id.description, channel: $0.channel.rawValue, status: ctx.status($0).rawValue, subject: $0.subject) }
        }
    }
}
