import ArgumentParser
import Foundation
import QueueDeckConfig
import QueueDeckDomain
import QueueDeckIntake
import QueueDeckJournal
import CQueueDeckSignals

extension JournalError {
    /// What a long-running process waits out rather than stops for.
    var passes: Bool {
        if case .unreachable = self { return true }
        if case .stale = self { return true }
        return false
    }
}

/// The team file a runner read, as it stood: edited since means read it again.
struct TeamFile {
    let path: String?
    private var stamp: [Int]

    init(_ g: GlobalOptions, journalPath: String) {
        path = ConfigLoader.teamFilePath(explicit: g.config, journalPath: journalPath, environment: g.environment)
        stamp = TeamFile.stamp(path)
    }

    static func stamp(_ path: String?) -> [Int] {
        guard let path else { return [] }
        var st = stat()
        guard stat(path, &st) == 0 else { return [-1] }
        return [Int(st.st_ino), Int(st.st_size), st.st_mtim.tv_sec, st.st_mtim.tv_nsec]
    }

    /// Whether it changed since last asked (`peek`: without taking note).
    mutating func changed(peek: Bool = false) -> Bool {
        let now = TeamFile.stamp(path)
        defer { if !peek { stamp = now } }
        return now != stamp
    }
}

/// `qdeck automate`: the time rules and waiting work (README: Automation). Event rules need no
/// runner: they are applied in the batch of the event that triggers them, by whoever appends it.
struct Automate: DeskCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the time rules and hand waiting work to available agents: once, or with --follow for good.",
        discussion: """
        Time rules (on: time in the team file's rules) act on each ticket once each time it enters their match; \
        distribution hands new and open tickets of its departments to available agents under capacity. With \
        --follow it wakes when the journal changes and every --interval seconds. One runner per desk acts; a \
        second one waits for the first to stop. Runs as the intake user, a supervisor or an administrator.
        """)
    @OptionGroup var globals: GlobalOptions
    @Flag(name: .long, help: "Keep running: on every journal change and every --interval seconds.") var follow = false
    @Option(name: .long, help: "Seconds between time-rule rounds while following (1-3600).") var interval: Int = 60

    func execute() throws {
        guard (1...3600).contains(interval) else { throw Failure(code: Exit.usage, message: "--interval \(interval): between 1 and 3600 seconds") }
        let session = try DeskSession(globals, writable: true)
        let actor = session.actor
        guard actor.may(.intake) || actor.may(.reassignAny) else {
            throw Failure(code: Exit.noPerm, message: "\(actor.user) (role \(actor.role.name)) may not run automation: it is the intake user's, a supervisor's or an administrator's")
        }
        if session.rules.automation.timeRules.isEmpty && session.rules.automation.distribution.isEmpty {
            printError("qdeck: note: the team file has no time rules and no distribution: nothing for automate to do (event rules need no runner)")
        }
        // SIGHUP (systemd's reload) reads the team file again; SIGTERM and SIGINT stop.
        let stops = [SIGTERM, SIGINT]
        qdeck_catch_signals(stops, Int32(stops.count))
        qdeck_catch_reload(SIGHUP)
        let stopAsked = { qdeck_pending_signal() != 0 }
        var lease = try session.journal.tryHoldAutomation()
        if lease == nil {
            guard follow else {
                throw Failure(code: Exit.tempFail, message: "another qdeck automate is running on \(session.journal.name); it does this work")
            }
            printError("qdeck: another qdeck automate is running on \(session.journal.name); waiting to take over")
            while lease == nil && !stopAsked() {
                sleep(1)
                lease = try session.journal.tryHoldAutomation()
            }
            guard lease != nil else { return }
        }
        var view = session.viewContext()
        var memory = SweepMemory()
        let follower = follow ? session.journal.follower() : nil
        var teamFile = TeamFile(globals, journalPath: session.journalPath)
        if follow { printError("qdeck: automate running on \(session.journal.name): \(Self.summary(session.rules)); every \(interval) s and on every change") }
        var acted = 0
        var lastRound = 0.0
        var reloadAsked = false
        repeat {
            // A team file edited while running takes effect at the next round (or at once on SIGHUP).
            if qdeck_take_reload() == 1 { reloadAsked = true }
            if follow, teamFile.changed() || reloadAsked {
                reloadAsked = false
                do {
                    session.rules = try globals.rules(journalPath: session.journalPath)
                    view = session.viewContext()
                    memory = SweepMemory()
                    printError("qdeck: team file read again: \(Self.summary(session.rules))")
                } catch {
                    printError("qdeck: the team file has mistakes; the rules read before stay in force until it is mended:\n\(describeFailure(error).1)")
                }
            }
            let started = Date().timeIntervalSince1970
            do {
                acted += try round(session, view, memory)
            } catch let e as JournalError {
                // A runner rides out what passes: the database away, a ticket busy eight times over.
                guard follow, e.passes else { throw e }
                printError("qdeck: \(e); trying again next round")
            }
            lastRound = started
            guard let follower else { break }
            // Until the next round is due, or sooner when the journal changes (at most once a second).
            while qdeck_pending_signal() == 0 {
                let now = Date().timeIntervalSince1970
                if now - lastRound >= Double(interval) { break }
                if follower.wait(timeoutMillis: 1000) {
                    follower.drain()
                    let since = Date().timeIntervalSince1970 - lastRound
                    if since < 1 { usleep(UInt32((1 - since) * 1_000_000)) }
                    break
                }
                if qdeck_take_reload() == 1 { reloadAsked = true }
                if reloadAsked || teamFile.changed(peek: true) { break }
            }
        } while !stopAsked()
        if !follow && acted == 0 { emit("nothing to do") }
        _ = lease  // held to here
    }

    static func summary(_ r: DeskRules) -> String {
        let a = r.automation
        return "\(countPhrase(a.timeRules.count, "time rule")), distribution in \(countPhrase(a.distribution.count, "department"))"
    }

    /// One sweep, appended in batches of whole tickets (a first sweep over a big desk can act on
    /// thousands: no one append holds the journal long); a ticket changed meanwhile is read again
    /// and decided again.
    func round(_ session: DeskSession, _ view: ViewContext, _ memory: SweepMemory) throws -> Int {
        var total = 0
        for attempt in 0..<8 {
            try session.refresh()
            let now = try globals.now()
            view.now = now
            let d = Automation.sweep(session.state, rules: session.rules, now: now, view: view, memory: memory)
            guard !d.events.isEmpty else { return total }
            let before = session.state
            var done: [Event] = []
            var stale = false
            for batch in d.batches(of: 2000) {
                if try !appended(batch, session.journal, lastTry: attempt == 7) { stale = true; break }
                done += batch.events
            }
            if !done.isEmpty {
                try session.refresh()
                report(done, before: before, at: now, rules: session.rules)
                if !queuedReplies(done).isEmpty {
                    let intake = IntakeDesk(journal: session.journal, rules: session.rules, state: session.state)
                    handOverRulesReplies(globals, desk: intake, events: done)
                    // The hand-over read and appended through the session's journal: the session
                    // takes the desk as the hand-over left it, or its next sweep acts on old versions.
                    session.catchUp(with: intake)
                }
                total += done.count
            }
            if !stale { return total }
        }
        return total
    }

    /// False when a ticket changed meanwhile (and this is not the last try).
    func appended(_ d: Decision, _ journal: any DeskJournal, lastTry: Bool) throws -> Bool {
        do {
            _ = try journal.append(d.events, expecting: d.expectedVersions)
            return true
        } catch .stale where !lastTry {
            return false
        }
    }

    /// A line per rule and ticket: what it did, in the history's words.
    func report(_ events: [Event], before: DeskState, at now: Instant, rules: DeskRules) {
        var groups: [(actor: String, ticket: TicketID, events: [Event])] = []
        // A sweep's events come ticket by ticket, each rule's together.
        for e in events {
            if let last = groups.last, last.actor == e.actor, last.ticket == e.ticket { groups[groups.count - 1].events.append(e) } else {
                groups.append((e.actor, e.ticket, [e]))
            }
        }
        for g in groups {
            guard let t = before[g.ticket] else { continue }
            emit("\(now.isoUTC) \(g.actor) \(g.ticket): " + Automation.words(g.events, on: t, rules: rules).joined(separator: "; "))
        }
    }
}

struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "The team file's automation rules.",
        subcommands: [RulesTest.self])
}

struct RulesTest: DeskCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Show, for each rule, the tickets it would act on and the events it would append; writes nothing.",
        discussion: """
        Time rules and distribution: what the next `qdeck automate` round would do. Event rules: what each \
        would do to every unclosed ticket it matches, were its event to come now. --at evaluates at another \
        moment (the desk as it is now): a date and time, or a duration ahead such as 3d.
        """)
    @OptionGroup var globals: GlobalOptions
    @Option(name: .long, help: "When to evaluate (default: now), e.g. 2026-12-24 09:00 or 3d (ahead).") var at: String?
    @Flag(name: .long, help: "Print JSON: each rule with its tickets and their events.") var json = false
    static let shown = 20

    func execute() throws {
        let session = try DeskSession(globals, writable: false)
        let now = try at.map { try moment($0, session) } ?? session.now
        let previews = Automation.preview(session.state, rules: session.rules, now: now)
        if json {
            try printJSON(RulesTestJSON(asOf: now.isoUTC, rules: previews.map { RulePreviewJSON($0) }))
            return
        }
        let when = at == nil ? "now" : "at \(now.isoUTC)"
        guard !previews.isEmpty else {
            emit("no rules and no distribution in the team file (README: Automation)")
            return
        }
        emit("as of \(now.isoUTC); nothing is written")
        for p in previews {
            let n = countPhrase(p.actions.count, "ticket")
            switch p.on {
            case nil: emit("distribution: hands out \(countPhrase(p.actions.count, "waiting ticket")) \(when)")
            case .time?: emit("rule '\(p.rule)' (on time\(p.condition.isEmpty ? "" : ", if \(p.condition)")): acts on \(n) \(when)")
            case let on?: emit("rule '\(p.rule)' (on \(on.rawValue)\(p.condition.isEmpty ? "" : ", if \(p.condition)")): would act on \(n), were the event to come \(when)")
            }
            // A rule over a big desk may match thousands: the first ones show what it does.
            for a in p.actions.prefix(Self.shown) {
                emit("  \(a.ticket)  \(a.subject.prefix(40))")
                for w in a.words { emit("      \(w)") }
            }
            if p.actions.count > Self.shown { emit("  … and \(p.actions.count - Self.shown) more (--json lists every one)") }
            for note in p.notes { emit("  \(note)") }
        }
    }
}

/// `--at`: a moment ahead or behind, evaluated against the desk as it is now.
private func moment(_ text: String, _ session: DeskSession) throws -> Instant {
    do {
        return try WhenParser.parse(text, now: session.now, calendar: session.rules.calendar)
    } catch {
        throw Failure(code: Exit.usage, message: "--at '\(text)': \(error)")
    }
}

struct RulesTestJSON: Encodable {
    var asOf: String
    var rules: [RulePreviewJSON]
}

struct RulePreviewJSON: Encodable {
    var rule: String
    var on: String?
    var condition: String
    var tickets: [Ticket]
    /// Distribution: why tickets would still wait.
    var waiting: [String]

    struct Ticket: Encodable {
        var id: String
        var subject: String
        var changes: [String]
        var events: [DumpLine]
    }

    init(_ p: RulePreview) {
        rule = p.rule
        on = p.on?.rawValue
        condition = p.condition
        waiting = p.notes
        tickets = p.actions.map { a in
            Ticket(id: a.ticket.description, subject: a.subject, changes: a.words,
                   events: a.events.map { DumpLine(unstored: $0) })
        }
    }
}
