import ArgumentParser
import Foundation
import QueueDeckBackends
import QueueDeckConfig
import QueueDeckDomain
import QueueDeckIntake
import QueueDeckJournal
import QueueDeckMail
import QueueDeckText
import CQueueDeckSignals

struct IngestQueueLog: DeskCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue-log",
        abstract: "Read an Asterisk queue_log: calls waiting, answered, completed and abandoned; agent pauses.",
        discussion: "With --follow, keeps reading lines as Asterisk writes them (rotation included). Where it stopped is kept beside the journal (JOURNAL.FILE.offset), so a restart resumes without duplicates; if the file was rotated while stopped, the rest of the old one (found beside it by its inode, e.g. queue_log.1) is read first.")
    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The queue_log file.") var file: String
    @Flag(name: .long, help: "Keep following the file.") var follow = false
    @Option(name: .long, help: ArgumentHelp("Where to keep the read position (default: beside the journal).", valueName: "file")) var state: String?

    /// A missing or odd file is the input's fault (66), said as such, not a journal's.
    static func openLog(_ file: String, statePath: String) throws -> LogTail {
        do {
            return try LogTail(path: file, statePath: statePath)
        } catch .refused(_, let why) {
            throw Failure(code: Exit.noInput, message: "\(file): \(why)")
        }
    }

    func execute() throws {
        let desk = try intakeDesk(globals, needs: .intake)
        let location = try globals.journalLocation()
        if state == nil { try location.prepareCompanionFolder() }
        let companion = location.companionPath
        let statePath = state ?? companion + "." + FilePath.name(of: file) + ".offset"
        let tail = try Self.openLog(file, statePath: statePath)
        tail.journalPath = companion
        if let gap = tail.gap { printError("qdeck: warning: \(gap)") }
        let now = try globals.now()
        // Times from a year before the desk began to a day ahead: epoch 100 is a broken line, not 1970.
        let window = deskLife(desk, now: now)
        // A parent's blocked signals survive exec: unblock the ones that stop the follower.
        let stops = [SIGTERM, SIGINT]
        qdeck_catch_signals(stops, Int32(stops.count))
        var counts: [String: Int] = [:]
        var bad = 0
        // Lines read but not yet stored: kept across a database outage while following.
        var calls: [CallEvent] = []
        var waiting = false
        var readSinceCommit = false
        repeat {
            let lines = try tail.readLines()
            readSinceCommit = readSinceCommit || !lines.isEmpty
            for l in lines where !l.text.isEmpty {
                do {
                    calls.append(try QueueLogLine.parse(l.text, file: l.file, lineNumber: l.number, offset: l.offset, window: window))
                } catch {
                    bad += 1
                    printError("qdeck: \(error) (line skipped)")
                }
            }
            if let outage = try store(&calls, desk: desk, counts: &counts) {
                // Waited out: the lines stay read and the read position unmoved until they are
                // stored (what was stored before the outage is recognised again, not doubled).
                if !waiting { printError("qdeck: \(outage); keeping \(countPhrase(calls.count, "line")) and trying again every second") }
                waiting = true
                sleep(1)
                continue
            }
            if waiting { printError("qdeck: the journal is back; following again") }
            waiting = false
            if readSinceCommit { try tail.commit() }
            readSinceCommit = false
            if follow { usleep(100_000) }
        } while follow && qdeck_pending_signal() == 0
        if bad > 0 { counts["unreadable line", default: 0] += bad }
        emit(counts.isEmpty ? "nothing new" : counts.sorted { $0.key < $1.key }.map { countPhrase($0.value, $0.key) }.joined(separator: ", "))
    }

    /// Stores the calls read so far and empties the list. While following, a database that cannot
    /// be reached is returned (to wait out), not thrown.
    func store(_ calls: inout [CallEvent], desk: IntakeDesk, counts: inout [String: Int]) throws -> JournalError? {
        guard !calls.isEmpty else { return nil }
        do {
            try desk.ingestBatch(calls, batchSize: 256, decide: { c, state, newID in
                Intake.call(c, state: state, rules: desk.rules, newID: newID)
            }, progress: { _, o in
                let k: String = switch o.result {
                case .created: "call"
                case .duplicate: "duplicate"
                case .ignored(let why) where why == "presence": "presence change"
                case .ignored: "ignored line"
                default: "call event"
                }
                counts[k, default: 0] += 1
                if follow { emit(describe(o)) }
            })
        } catch let e as JournalError {
            guard follow, case .unreachable = e else { throw e }
            return e
        }
        calls = []
        return nil
    }
}
