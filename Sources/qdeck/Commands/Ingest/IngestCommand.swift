import ArgumentParser
import Foundation
import QueueDeckBackends
import QueueDeckConfig
import QueueDeckDomain
import QueueDeckIntake
import QueueDeckJournal
import QueueDeckMail
import QueueDeckText

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring customers' email, calls, chats and self-service into the desk.",
        subcommands: [IngestMail.self, IngestMaildir.self, IngestMbox.self, IngestQueueLog.self, IngestChat.self, IngestSelfService.self, IngestHeld.self])
}

/// The journal opened for intake (created if missing: a mail server may deliver before anyone ran
/// qdeck), by a user with `needs` (nil: anyone on the roster, to read).
func intakeDesk(_ g: GlobalOptions, needs: Permission?) throws -> IntakeDesk {
    try g.checkDefaultDataFolder()
    let location = try g.journalLocation()
    let path = location.companionPath
    let rules = try g.rules(journalPath: path)
    // Root acting as itself may import by hand too: it runs the mail server and owns the files anyway.
    let rootItself = geteuid() == 0 && g.actingUser == g.osUser && needs == .intake
    func permitted(_ actor: () throws -> Agent) throws {
        let agent: Agent
        do {
            agent = try actor()
        } catch DomainError.unknownAgent(let user) where needs == .intake {
            guard rootItself else { throw DomainError.notPermitted(user: user, permission: .intake) }
            agent = Agent(user: user, name: user, role: .intake)
        }
        if let needs, !agent.may(needs), !rootItself { throw DomainError.notPermitted(user: agent.user, permission: needs) }
    }
    // A file journal: before it is opened or created (a stranger may not make one either). A
    // database says who the login is once connected, and enforces its group itself.
    if location.kind == .file { try permitted { try g.actingAgent(rules) } }
    let journal = try location.open(create: true, writable: true)
    // The database's login, whoever runs the process (root included): its roster role must allow it.
    if journal.databaseIdentity != nil {
        let agent = try g.actingAgent(rules, journal: journal)
        if let needs, !agent.may(needs) { throw DomainError.notPermitted(user: agent.user, permission: needs) }
    }
    var deskRules = rules
    if journal.isDemo { deskRules.intake.sendReplies = false }  // a demo desk never mails anyone
    try? location.prepareCompanionFolder()  // a database journal's snapshots on this host
    let desk = try IntakeDesk(journal: journal, rules: deskRules)
    desk.snapshots = journal.snapshotKeeper(every: g.snapshotEvery, coveredSeq: desk.snapshotSeq)
    desk.snapshots?.consider(desk.state)
    // A mail server's pipe has its own time limit: QDECK_LOCK_TIMEOUT (seconds) keeps the wait for
    // a busy journal inside it, so the message is deferred (75) rather than the delivery killed.
    if let text = g.environment["QDECK_LOCK_TIMEOUT"], !text.isEmpty {
        // From outside: range-checked (inf or 1e308 once trapped on the way to a deadline).
        guard let t = Double(text), t.isFinite, t >= 0.1, t <= 3600 else {
            throw Failure(code: Exit.config, message: "QDECK_LOCK_TIMEOUT '\(text.prefix(40))': seconds from 0.1 to 3600")
        }
        desk.lockTimeoutSeconds = t
        journal.lockTimeoutSeconds = t
    }
    return desk
}

/// The times a line from outside may carry: from a year before the desk's journal was created to a
/// day ahead of now (anything else is a mistake in the feed, named, never stored as 1970 or 9999).
func deskLife(_ desk: IntakeDesk, now: Instant) -> ClosedRange<Instant> {
    ((desk.journal.created ?? now) - .days(365))...(now + .days(1))
}

func describe(_ o: IntakeOutcome) -> String {
    let flag = o.flagged ? " (flagged: unreadable parts)" : ""
    switch o.result {
    case .created(let t): return "new ticket \(t)" + flag
    case .threaded(let t): return "added to \(t)" + flag
    case .linked(let t, let from): return "new ticket \(t), continuing closed \(from)" + flag
    case .attached(let t): return "automatic message attached to \(t) (no status change)"
    case .awaiting(let t): return "held on \(t): the sender is not its customer; nothing changes until an agent accepts it (qdeck accept \(t))" + flag
    case .held: return "automatic message matching no ticket: held apart (qdeck ingest held)"
    case .recorded: return "recorded (no ticket)"
    case .duplicate(let t): return "already stored" + (t == .desk ? " (held)" : " in \(t)") + "; nothing added"
    case .ignored(let why): return "ignored: \(why)"
    }
}
