import Foundation
import QueueDeckBackends
import QueueDeckConfig
import QueueDeckDomain
import QueueDeckIntake
import QueueDeckJournal

/// One command's view of the desk: the rules, the acting agent, the journal and the folded state.
/// Used by one thread at a time (the live demo hands its own session to its thread).
final class DeskSession: @unchecked Sendable {
    let location: JournalLocation
    /// Where the team file and the desk's other local files are looked for.
    var journalPath: String { location.companionPath }
    var rules: DeskRules
    let actor: Agent
    let journal: any DeskJournal
    private(set) var state: DeskState
    /// With `asOf` and `keepLater`: the journal's events after that moment, in journal order (replay).
    private(set) var laterEvents: [StoredEvent] = []
    let now: Instant
    /// The options it was opened with (the mail program and clock a reply's hand-over uses).
    let globals: GlobalOptions
    /// Writes a snapshot in the background when enough events were replayed (not when time travelling).
    private(set) var snapshots: (any SnapshotKeeping)?

    /// Opens the journal (creating it and its folder when `create`) and loads the desk: the newest
    /// matching snapshot and the journal after it, or with `fullReplay` the whole journal. With
    /// `asOf`, only the events up to that moment (time travel: the desk as it stood then; always a
    /// full replay, since a snapshot holds what came later too).
    init(_ g: GlobalOptions, writable: Bool, create: Bool = false, journalName: String = "desk.journal", asOf: String? = nil,
         keepLater: Bool = false, fullReplay: Bool = false, demo: Bool = false) throws {
        try g.checkDefaultDataFolder()
        globals = g
        location = try g.journalLocation(default: journalName)
        let rules = try g.rules(journalPath: location.companionPath)
        self.rules = rules
        // A file journal's user is the system's: checked before anything is created. A database
        // says who the login is once connected.
        if location.kind == .file { _ = try g.actingAgent(rules) }
        let clockNow = try g.now()
        let moment = try asOf.map { try parseMoment($0, option: "--at", now: clockNow, calendar: rules.calendar) }
        if let moment, moment > clockNow {
            throw Failure(code: Exit.usage, message: "--at \(asOf!): \(moment.isoUTC) is in the future; time travel goes back only")
        }
        now = moment ?? clockNow
        if create { try location.prepare() }
        journal = try location.open(create: create, writable: writable, demo: demo)
        actor = try g.actingAgent(rules, journal: journal)
        // Where a database journal's snapshots are kept on this host (a file's sit beside it).
        try? location.prepareCompanionFolder()
        // A demo desk's customers are invented: whatever command runs on it, nothing is mailed.
        if journal.isDemo { self.rules.intake.sendReplies = false }
        // Folded as they are read: a million events are never all in memory at once.
        if let moment {
            var folded = DeskState(autoCloseAfter: rules.autoCloseAfter)
            var later: [StoredEvent] = []
            try journal.readNew { e in
                if e.event.at <= moment { folded.apply(e) } else if keepLater { later.append(e) }
            }
            state = folded
            laterEvents = later
            DeskSession.keptToExit.append(self)
            return
        }
        let load = try journal.loadDesk(autoCloseAfter: rules.autoCloseAfter, useSnapshots: !fullReplay)
        state = load.state
        for problem in load.passedOver { if case .invalid = problem { printError("qdeck: note: \(problem); replaying the journal instead") } }
        // A full replay asked for to compare leaves the snapshots as they are.
        let keeper = journal.snapshotKeeper(every: fullReplay ? 0 : g.snapshotEvery, coveredSeq: load.snapshot?.seq ?? 0)
        keeper?.onFailure = { e in
            if case .io(_, _, let code) = e, code == EACCES || code == EROFS { return }  // a reader without write access
            printError("qdeck: note: \(e)")
        }
        keeper?.consider(state)
        snapshots = keeper
        DeskSession.keptToExit.append(self)
    }

    /// A session for a screen that stays up (the console, the wall): a database that cannot be
    /// reached yet is waited for, said once, as a running screen rides an outage out (a wall
    /// started at boot before its database must not just exit). Ctrl-C stops the wait.
    static func waitingForTheDatabase(_ open: () throws -> DeskSession) throws -> DeskSession {
        var said = false
        while true {
            do { return try open() } catch let e as JournalError {
                guard case .unreachable = e else { throw e }
                if !said { printError("qdeck: \(e); waiting for it (Ctrl-C stops)") }
                said = true
                sleep(1)
            }
        }
    }

    /// Every session lives until the process exits: freeing a hundred thousand tickets one by one
    /// just before the kernel takes the whole heap back costs a command a tenth of a second.
    nonisolated(unsafe) private static var keptToExit: [DeskSession] = []

    /// Folds in whatever other processes appended since.
    func refresh() throws {
        state.apply(try journal.readNew())
        snapshots?.consider(state)
    }

    /// Takes the desk as an intake desk on the same journal left it: it read the journal after this
    /// session's place (the reply hand-over's own events), so its fold is the newer one.
    func catchUp(with desk: IntakeDesk) {
        state = desk.state
        snapshots?.consider(state)
    }

    func context() -> CommandContext {
        CommandContext(actor: actor, now: now, rules: rules, newTicketID: Fresh.ticketID)
    }

    func viewContext() -> ViewContext { ViewContext(now: now, me: actor.user, rules: rules) }

    /// Decides and appends a command, with what the team file's rules do in the same batch. With
    /// `ifVersion`, the append is refused unless the ticket is still at that version (what the
    /// agent saw). An email reply it queued (the agent's, or a rule's acknowledgement) is handed to
    /// the mail system now; one the mail system refuses waits in the outbox.
    @discardableResult
    func run(_ command: Command, ifVersion: UInt32? = nil) throws -> [StoredEvent] {
        let ctx = context()
        var decision = Automation.follow(try Commands.decide(command, state: state, context: ctx), state: state, rules: rules, now: ctx.now)
        if let v = ifVersion, let id = command.ticket { decision.expectedVersions[id] = v }
        let stored = try journal.append(decision.events, expecting: decision.expectedVersions)
        state.apply(try journal.readNew())
        let queued = queuedReplies(stored)
        if !queued.isEmpty {
            let intake = IntakeDesk(journal: journal, rules: rules, state: state)
            // The hand-over reads the journal in this session's place: take the desk as it leaves it.
            defer { catchUp(with: intake) }
            try sendReplies(globals, desk: intake, only: queued)
        }
        return stored
    }

    /// Parses a ticket ID argument and finds the ticket.
    func ticket(_ text: String) throws -> Ticket {
        try state.ticket(try parseTicketID(text))
    }
}

func parseTicketID(_ text: String) throws -> TicketID {
    guard let id = TicketID(text) else {
        throw Failure(code: Exit.usage, message: "'\(text)' is not a ticket ID (expected XXX-XXXXX-XXX)")
    }
    return id
}

/// A moment given on the command line: a date and time, or a duration back from now (`2h`).
func parseMoment(_ text: String, option: String, now: Instant, calendar: BusinessCalendar) throws -> Instant {
    do {
        return try WhenParser.parse(text, now: now, calendar: calendar, past: true)
    } catch {
        throw Failure(code: Exit.usage, message: "\(option) '\(text)': \(error)")
    }
}
