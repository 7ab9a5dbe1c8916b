import ArgumentParser
import Foundation
import QueueDeckBackends
import QueueDeckConfig
import QueueDeckDomain
import QueueDeckJournal

struct Demo: DeskCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a realistic demo journal and show the desk.",
        discussion: "Without --journal (or QDECK_JOURNAL) the demo journal is $XDG_DATA_HOME/qdeck/demo.journal, rewritten each run. An existing journal given explicitly is never overwritten unless --force, and then one that is not a demo's is kept as JOURNAL.before-demo-TIME. A demo desk is marked in its journal: no command run on it ever sends mail.")
    @OptionGroup var globals: GlobalOptions
    @Option(name: .long, help: "How many tickets.") var tickets: Int = 330
    @Option(name: .long, help: "Over how many days.") var days: Int = 6
    @Option(name: .long, help: "Random seed (the same seed gives the same desk).") var seed: UInt64 = 2026
    @Flag(name: .long, help: "Do not open the console; print a summary.") var noConsole = false
    @Flag(name: .long, help: "Keep customers arriving and replying until interrupted (prints what happens; open a console on the same journal in another terminal).") var live = false
    @Flag(name: .long, help: "Replace an existing journal given with --journal (a real one is kept as JOURNAL.before-demo-TIME).") var force = false
    @Option(name: .long, help: "Write exactly N events instead of --tickets (a 50-agent desk writes about 1,000,000 a year); the days stretch to fit.") var events: Int?

    func execute() throws {
        guard tickets > 0, days > 0 else { throw Failure(code: Exit.usage, message: "--tickets and --days must be positive") }
        let explicit = globals.journal != nil || !(globals.environment["QDECK_JOURNAL"] ?? "").isEmpty
        let path: String
        switch try globals.journalLocation(default: "demo.journal") {
        case .file(let file): path = file
        case .postgres:
            throw Failure(code: Exit.usage, message: "qdeck demo makes a demo journal file; give --journal a file path (`qdeck log copy` then moves it into a database)")
        }
        if FileManager.default.fileExists(atPath: path) {
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            if explicit && size > 0 && !force {
                throw Failure(code: Exit.cantCreate, message: "\(path) exists; the demo will not overwrite it (use --force, which keeps it as \(path).before-demo-TIME, or another --journal)")
            }
            if explicit && size > 0 && !Self.isDemo(path) {
                // --force on a journal that is not a demo's: kept, renamed, never deleted.
                let backup = "\(path).before-demo-\(Int(Date().timeIntervalSince1970 * 1000))"
                guard rename(path, backup) == 0 else { throw Failure(code: Exit.cantCreate, message: "\(path): cannot keep it as \(backup): \(String(cString: strerror(errno)))") }
                printError("qdeck: \(path) was kept as \(backup)")
            } else {
                guard unlink(path) == 0 else { throw Failure(code: Exit.cantCreate, message: "\(path): cannot replace: \(String(cString: strerror(errno)))") }
            }
        }
        // The old demo's snapshots belong to the file just removed.
        for old in SnapshotFile.list(journal: path) { unlink(old.path) }
        var g = globals
        g.journal = path
        // Marked a demo in its header: whatever command later runs on it, nothing is mailed.
        let session = try DeskSession(g, writable: true, create: true, journalName: "demo.journal", demo: true)
        let events = try generate(rules: session.rules, now: session.now)
        // Group commit: one write and one fdatasync per batch.
        var i = 0
        while i < events.count {
            let batch = Array(events[i..<min(i + 512, events.count)])
            try session.journal.append(batch, expecting: [:])
            i += batch.count
        }
        let reread = try DeskSession(g, writable: true)
        let terminal = isatty(0) == 1 && isatty(1) == 1
        if !noConsole && terminal {
            if live {
                // Customers keep writing from a second journal handle while the agent works.
                let writer = try DeskSession(g, writable: true)
                Thread.detachNewThread {
                    var liveDemo = LiveDemo(session: writer, seed: seed, quiet: true)
                    try? liveDemo.run()
                }
            }
            try openConsole(reread, globals)
            return
        }
        emit(summary(reread, path: path, events: events.count))
        if !noConsole && !terminal { emit("(the console needs a terminal; showing the summary instead)") }
        if live {
            var liveDemo = LiveDemo(session: reread, seed: seed)
            try liveDemo.run()
        }
    }

    /// Whether the file is a demo desk's journal (its header says so).
    static func isDemo(_ path: String) -> Bool { (try? FileJournal(path: path, writable: false))?.isDemo == true }

    /// The demo's events: `--tickets` over `--days`, or exactly `--events` N (the first N of a desk
    /// sized to produce at least N: about nine events a ticket, some 2,700 a day).
    func generate(rules: DeskRules, now: Instant) throws -> [Event] {
        guard let n = events else {
            var scenario = DemoScenario(rules: rules, now: now, seed: seed)
            return scenario.events(tickets: tickets, days: days)
        }
        guard n > 0 else { throw Failure(code: Exit.usage, message: "--events must be positive") }
        var count = max(10, n / 9 + 1)
        let span = max(days, n / 2_700)
        for _ in 0..<4 {
            var scenario = DemoScenario(rules: rules, now: now, seed: seed)
            let all = scenario.events(tickets: count, days: span)
            if all.count >= n { return Array(all.prefix(n)) }
            count = count * n / max(all.count, 1) + 10
        }
        throw Failure(code: Exit.failure, message: "could not generate \(n) events")
    }

    func summary(_ s: DeskSession, path: String, events: Int) -> String {
        let ctx = s.viewContext()
        var byStatus: [TicketStatus: Int] = [:]
        var byChannel: [Channel: Int] = [:]
        var sla: [SLAState: Int] = [:]
        var wakingSoon = 0
        for t in s.state.all {
            let st = ctx.status(t)
            byStatus[st, default: 0] += 1
            byChannel[t.channel, default: 0] += 1
            if st.isUnresolved { sla[ctx.sla(t).state, default: 0] += 1 }
            if st == .postponed, let u = t.postponedUntil, u - s.now < .hours(1) { wakingSoon += 1 }
        }
        let statuses = TicketStatus.allCases.map { "\($0.rawValue) \(byStatus[$0] ?? 0)" }.joined(separator: " · ")
        let channels = Channel.allCases.map { "\($0.rawValue) \(byChannel[$0] ?? 0)" }.joined(separator: " · ")
        return """
        demo journal: \(path)
        \(s.state.count) tickets from \(events) events (\(channels))
        \(statuses)
        unresolved SLA: ok \(sla[.ok] ?? 0) · at risk \(sla[.atRisk] ?? 0) · breached \(sla[.breached] ?? 0) · paused \(sla[.paused] ?? 0)
        postponed waking within the hour: \(wakingSoon)

        Look around:
          qdeck --journal \(path) list --sort sla
          qdeck --journal \(path) list channel:chat sla:breached,at-risk
          qdeck --journal \(path) stats
          qdeck --journal \(path) wall                  (the supervisor's board; --replay 8h --speed 60x plays the day back)
        """
    }
}

/// `demo --live`: customers keep arriving and writing back at a desk-like pace.
struct LiveDemo {
    let session: DeskSession
    var rng: SeededGenerator
    /// Under the console nothing may print.
    let quiet: Bool

    init(session: DeskSession, seed: UInt64, quiet: Bool = false) {
        self.session = session
        self.quiet = quiet
        rng = SeededGenerator(seed: seed ^ UInt64(Date().timeIntervalSince1970))
    }

    func say(_ line: String) { if !quiet { QDeckCLI.say(line) } }

    mutating func run() throws {
        say("live: customers keep writing; Ctrl-C stops")
        while true {
            // A customer every few seconds; our own appends must not wake us early.
            Thread.sleep(forTimeInterval: Double.random(in: 2...9, using: &rng))
            try session.refresh()
            let now = Instant(seconds: Date().timeIntervalSince1970)
            let answered = session.state.all.filter {
                $0.status(at: now, autoCloseAfter: session.rules.autoCloseAfter) == .answered
            }
            let command: Command
            if !answered.isEmpty && Int.random(in: 0..<100, using: &rng) < 35 {
                let t = answered.randomElement(using: &rng)!
                let lang = DemoCatalogue.languages.first { $0.names.contains(t.customer.name) } ?? DemoCatalogue.languages[4]
                command = .customerMessage(t.id, body: lang.followUp.randomElement(using: &rng)!)
            } else {
                let lang = DemoCatalogue.languages.randomElement(using: &rng)!
                let topic = lang.topics.randomElement(using: &rng)!
                let channel: Channel = [.email, .email, .chat, .call].randomElement(using: &rng)!
                let customer = Customer(name: lang.names.randomElement(using: &rng)!)
                command = .create(TicketOpening(channel: channel, customer: customer, subject: topic.subject, body: topic.body,
                                                department: session.rules.department(named: topic.department)?.name), tags: topic.tags)
            }
            let ctx = CommandContext(actor: DemoScenario.customerActor, now: now, rules: session.rules, newTicketID: Fresh.ticketID)
            do {
                // Live customers meet the team file's rules as real ones do.
                let d = Automation.follow(try Commands.decide(command, state: session.state, context: ctx), state: session.state, rules: session.rules, now: now)
                for e in try session.journal.append(d.events, expecting: d.expectedVersions) {
                    say("live: \(e.event.ticket) \(e.event.kind.name)")
                }
            } catch {
                say("live: skipped: \(error)")
            }
        }
    }
}

enum QDeckCLI {
    /// One line straight to standard output (no stdio buffer), so a pipe sees it as it happens.
    static func say(_ line: String) {
        emit(line)
    }
}
