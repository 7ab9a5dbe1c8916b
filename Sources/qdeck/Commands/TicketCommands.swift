import ArgumentParser
import Foundation
import QueueDeckDomain
import QueueDeckIntake
import QueueDeckJournal
import QueueDeckMail

/// The ticket a mutating command acts on, and the version the agent saw.
struct TicketTarget: ParsableArguments {
    @Argument(help: "The ticket ID (XXX-XXXXX-XXX).")
    var id: String

    @Option(name: .long, help: ArgumentHelp("Refuse unless the ticket is still at this version (what you looked at).", valueName: "n"))
    var ifVersion: UInt32?
}

/// Message text from --body or --body-file (`-` reads standard input).
struct BodyOptions: ParsableArguments {
    @Option(name: .long, help: "The text.")
    var body: String?

    @Option(name: .long, help: ArgumentHelp("Read the text from a file (- for standard input).", valueName: "file"))
    var bodyFile: String?

    func text() throws -> String {
        if let body { return body }
        guard let file = bodyFile else { throw Failure(code: Exit.usage, message: "give the text with --body or --body-file") }
        let data: Data?
        if file == "-" { data = FileHandle.standardInput.readDataToEndOfFile() } else { data = FileManager.default.contents(atPath: file) }
        guard let data else { throw Failure(code: Exit.noInput, message: "\(file): cannot read the body file") }
        guard let s = String(data: data, encoding: .utf8) else { throw Failure(code: Exit.usage, message: "\(file): not UTF-8 text") }
        return s
    }
}

/// Runs one ticket command and prints the ticket's new state in one line.
func act(_ g: GlobalOptions, _ target: TicketTarget, _ make: (TicketID, DeskSession) throws -> Command) throws {
    let session = try DeskSession(g, writable: true)
    let id = try parseTicketID(target.id)
    _ = try session.state.ticket(id)
    let stored = try session.run(try make(id, session), ifVersion: target.ifVersion)
    for e in stored {
        if case .delivery = e.event.kind { continue }  // reported by the hand-over
        if case .automation = e.event.kind { continue }  // a rule's bookkeeping, not news
        guard let t = session.state[e.event.ticket] else { continue }
        let status = t.status(at: session.now, autoCloseAfter: session.rules.autoCloseAfter)
        emit("\(t.id) \(e.event.kind.name): \(status.rawValue), version \(t.version)")
    }
    if !session.rules.intake.sendReplies, stored.contains(where: { if case .agentReply = $0.event.kind { session.state[$0.event.ticket]?.channel == .email } else { false } }) {
        emit(session.journal.isDemo ? "demo desk: the reply is stored, never mailed (its customers are invented)"
                                    : "the reply is stored, not mailed: this desk sends no mail (intake.send_replies: false)")
    }
}

struct Reply: DeskCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reply to the customer (new/open → answered).",
        discussion: "An email reply goes to the customer and the ticket's Cc list (reply-all). --to and --cc change that for this reply; a changed Cc list is kept on the ticket (--cc none empties it).")
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var target: TicketTarget
    @OptionGroup var body: BodyOptions
    @Option(name: .long, help: ArgumentHelp("Send this file with the reply (repeat for more).", valueName: "file")) var attach: [String] = []
    @Option(name: .long, help: ArgumentHelp("Send to this address instead of the customer's.", valueName: "address")) var to: String?
    @Option(name: .long, help: ArgumentHelp("Copy to these addresses instead of the ticket's Cc list (comma-separated, repeatable; none: nobody).", valueName: "addresses")) var cc: [String] = []

    func execute() throws {
        let text = try body.text()
        try act(globals, target) { id, session in
            .reply(id, body: text, try extras(session))
        }
    }

    func extras(_ session: DeskSession) throws -> ReplyExtras {
        var x = ReplyExtras()
        if let to {
            let list = try checked(Recipients.parse(to, field: "--to"))
            guard list.count == 1 else { throw Failure(code: Exit.usage, message: "--to: give exactly one address") }
            x.to = list[0]
        }
        if !cc.isEmpty { x.cc = try checked(Recipients.parse(cc.joined(separator: ","), field: "--cc")) }
        for path in attach {
            guard FileManager.default.fileExists(atPath: path) else { throw Failure(code: Exit.noInput, message: "\(path): no such file to attach") }
            x.attachments.append(try session.journal.blobs.storeFile(path, limit: session.rules.intake.maxAttachmentBytes, typeOf: MediaTypes.guess))
        }
        return x
    }

    func checked(_ r: Result<[String], RecipientError>) throws -> [String] {
        switch r {
        case .success(let list): return list
        case .failure(let e): throw Failure(code: Exit.usage, message: e.description)
        }
    }
}

struct Inbound: DeskCommand {
    static let configuration = CommandConfiguration(abstract: "Record a message from the customer (answered/postponed/resolved → open).")
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var target: TicketTarget
    @OptionGroup var body: BodyOptions
    func execute() throws { try act(globals, target) { id, _ in .customerMessage(id, body: try body.text()) } }
}

struct Note: DeskCommand {
    static let configuration = CommandConfiguration(abstract: "Add an internal note (changes no status).")
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var target: TicketTarget
    @OptionGroup var body: BodyOptions
    func execute() throws { try act(globals, target) { id, _ in .note(id, body: try body.text()) } }
}

struct Reassign: DeskCommand {
    static let configuration = CommandConfiguration(abstract: "Reassign to an agent or a department (`none` unassigns).")
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var target: TicketTarget
    @Option(name: .long, help: "Agent user, agent name, or department.") var to: String
    @Option(name: .long, help: "Why; kept in the history.") var reason: String = ""
    func execute() throws { try act(globals, target) { id, _ in .reassign(id, to: to, reason: reason) } }
}

struct Claim: DeskCommand {
    static let configuration = CommandConfiguration(abstract: "Assign the ticket to yourself.")
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var target: TicketTarget
    func execute() throws { try act(globals, target) { id, _ in .claim(id) } }
}

struct Postpone: DeskCommand {
    static let configuration = CommandConfiguration(
        abstract: "Set aside until a time; it wakes up by itself.",
        discussion: "WHEN: 2h, 30m, 1h30m, 3d, tomorrow 9:00, mon, friday 14:00, 16:00, 2026-11-25, 2026-11-25T09:00, or ISO 8601 with Z/offset. Local times are in the desk's time zone.")
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var target: TicketTarget
    // Unconditional: `--until -5h` reaches the time parser, which says what is wrong with it.
    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("When it wakes (at most a year ahead).", valueName: "when")) var until: String
    func execute() throws {
        if until.hasPrefix("-") {
            throw Failure(code: Exit.usage, message: "--until '\(until)': a postponement wakes in the future (2h, tomorrow 9:00, mon), not before now")
        }
        try act(globals, target) { id, s in
            .postpone(id, until: try WhenParser.parse(until, now: s.now, calendar: s.rules.calendar))
        }
    }
}

struct Resolve: DeskCommand {
    static let configuration = CommandConfiguration(abstract: "Mark solved; it closes after the quiet period.")
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var target: TicketTarget
    func execute() throws { try act(globals, target) { id, _ in .resolve(id) } }
}

struct Reopen: DeskCommand {
    static let configuration = CommandConfiguration(abstract: "Reopen a resolved ticket.")
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var target: TicketTarget
    func execute() throws { try act(globals, target) { id, _ in .reopen(id) } }
}

struct Accept: DeskCommand {
    static let configuration = CommandConfiguration(
        abstract: "Take mail another sender wrote into a ticket as the customer's (or --dismiss it).",
        discussion: "Mail into a ticket from an address that is not its customer's is shown as from its real sender and changes nothing until an agent decides: accepting reopens the ticket as the customer's own mail would (and a customer without an address takes the sender's); --dismiss leaves it in the conversation as the other sender's. Every mail waiting on the ticket is settled at once; `qdeck show ID` lists them first. Needs ticket.inbound.")
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var target: TicketTarget
    @Flag(name: .long, help: "Leave the mail as the other sender's: it stops waiting and changes nothing.") var dismiss = false
    @Option(name: .long, help: ArgumentHelp("Only the mail from this address (needed to accept when several senders wrote).", valueName: "address"))
    var from: String?

    func execute() throws {
        let session = try DeskSession(globals, writable: true)
        let id = try parseTicketID(target.id)
        let stored = try session.run(dismiss ? .dismissMail(id, from: from) : .acceptMail(id, from: from), ifVersion: target.ifVersion)
        let settled = stored.filter { if case .intake(let r) = $0.event.kind { r.kind == .accepted } else { false } }.count
        // Accepted on a closed ticket, the mail starts a new one linked to it: that is the one to name.
        let into = stored.last { if case .customerMessage = $0.event.kind { true } else { false } }?.event.ticket ?? id
        let t = try session.state.ticket(into)
        let status = t.status(at: session.now, autoCloseAfter: session.rules.autoCloseAfter)
        let place = into == id ? "" : " into the new ticket \(into) (\(id) was closed)"
        emit("\(id): \(settled) mail\(settled == 1 ? "" : "s") \(dismiss ? "dismissed: not the customer's" : "accepted as the customer's")\(place); \(into) is \(status.rawValue), version \(t.version)")
    }
}

struct SetPriority: DeskCommand {
    static let configuration = CommandConfiguration(commandName: "priority", abstract: "Set the priority: low, normal, high, urgent.")
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var target: TicketTarget
    @Argument(help: "low, normal, high or urgent.") var priority: String
    func execute() throws {
        guard let p = Priority(name: priority) else {
            throw Failure(code: Exit.usage, message: "unknown priority '\(priority)'; one of low, normal, high, urgent")
        }
        try act(globals, target) { id, _ in .setPriority(id, p) }
    }
}

struct Tag: DeskCommand {
    static let configuration = CommandConfiguration(abstract: "Add (+tag) and remove (-tag) tags.")
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var target: TicketTarget
    @Argument(parsing: .allUnrecognized, help: "+tag to add, -tag to remove.") var changes: [String] = []
    func execute() throws {
        var add: [String] = [], remove: [String] = []
        for c in changes {
            if c.hasPrefix("+") { add.append(String(c.dropFirst())) }
            else if c.hasPrefix("-") { remove.append(String(c.dropFirst())) }
            else { throw Failure(code: Exit.usage, message: "tag change '\(c)' must start with + (add) or - (remove)") }
        }
        guard !add.isEmpty || !remove.isEmpty else { throw Failure(code: Exit.usage, message: "name tags to change: +tag or -tag") }
        try act(globals, target) { id, _ in .tag(id, add: add, remove: remove) }
    }
}

struct New: DeskCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a ticket; prints its ID alone on the last line.")
    @OptionGroup var globals: GlobalOptions
    @Argument(help: "email, call or chat.") var channel: String
    @Option(name: .long, help: "\"Name <address>\", an address, or a name.") var customer: String
    @Option(name: .long, help: "The customer's phone number.") var phone: String?
    @Option(name: .long, help: "Subject.") var subject: String
    @Option(name: .long, help: "The customer's first message.") var body: String = ""
    @Option(name: .long, help: "low, normal, high or urgent.") var priority: String = "normal"
    @Option(name: .long, help: "Department.") var department: String?
    @Option(name: .long, help: "Contact group (repeatable), e.g. vip.") var group: [String] = []
    @Option(name: .long, help: "Tag (repeatable).") var tag: [String] = []

    func execute() throws {
        guard let ch = Channel(rawValue: channel.lowercased()) else {
            throw Failure(code: Exit.usage, message: "unknown channel '\(channel)'; one of email, call, chat")
        }
        guard let p = Priority(name: priority) else {
            throw Failure(code: Exit.usage, message: "unknown priority '\(priority)'; one of low, normal, high, urgent")
        }
        let session = try DeskSession(globals, writable: true, create: true)
        var c = try Self.customer(customer)
        c.phone = phone
        c.groups = group.map { $0.lowercased() }
        for g in c.groups where !session.rules.contactGroups.contains(where: { $0.name == g }) {
            throw Failure(code: Exit.usage, message: "unknown contact group '\(g)'; groups are \(session.rules.contactGroups.map(\.name).joined(separator: ", "))")
        }
        let opening = TicketOpening(channel: ch, customer: c, subject: subject, body: body, priority: p, department: department)
        let stored = try session.run(.create(opening, tags: tag))
        emit(stored[0].event.ticket.description)
    }

    /// `Name <addr>`, an address, or a bare name; an address must be exactly one valid mailbox,
    /// read as a mail header would be (the same parser as intake).
    static func customer(_ text: String) throws -> Customer {
        let t = text.trimmingWhitespace()
        guard t.contains("@") || t.contains("<") else { return Customer(name: t) }
        let boxes = MailAddress.list(t)
        guard boxes.count == 1, let box = boxes.first else {
            throw Failure(code: Exit.usage, message: "--customer '\(t)' names \(boxes.count) mailboxes; a ticket has one customer with one address")
        }
        if let why = box.problem { throw Failure(code: Exit.usage, message: "--customer: \(why)") }
        guard !box.address.isEmpty else { throw Failure(code: Exit.usage, message: "--customer '\(t)' has an empty address") }
        return Customer(name: box.name.isEmpty ? box.address : box.name, email: box.address)
    }
}

struct Abandon: DeskCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record that the customer left while waiting (hung up, closed the chat); the ticket stays to call back.")
    @OptionGroup var globals: GlobalOptions
    @OptionGroup var target: TicketTarget
    @Option(name: .long, help: "What happened, e.g. 'hung up after 3m in queue'.") var reason: String = ""
    func execute() throws { try act(globals, target) { id, _ in .abandon(id, reason: reason) } }
}
