import ArgumentParser
import Foundation
import QueueDeckConfig
import QueueDeckDomain
import QueueDeckIntake
import QueueDeckJournal
import QueueDeckMail
import QueueDeckText

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring customers' email, calls and chats into the desk.",
        subcommands: [IngestMail.self, IngestMaildir.self, IngestMbox.self, IngestQueueLog.self, IngestChat.self, IngestHeld.self])
}

/// The journal opened for intake (created if missing: a mail server may deliver before anyone ran
/// qdeck), by a user with `needs` (nil: anyone on the roster, to read).
func intakeDesk(_ g: GlobalOptions, needs: Permission?) throws -> IntakeDesk {
    try g.checkDefaultDataFolder()
    let path = g.journalPath()
    let rules = try g.rules(journalPath: path)
    // Root acting as itself may import by hand too: it runs the mail server and owns the files anyway.
    let rootItself = geteuid() == 0 && g.actingUser == g.osUser && needs == .intake
    // Before the journal is opened or created: a stranger may not make one either.
    let actor: Agent
    do {
        actor = try g.actingAgent(rules)
    } catch DomainError.unknownAgent(let user) where needs == .intake {
        guard rootItself else { throw DomainError.notPermitted(user: user, permission: .intake) }
        actor = Agent(user: user, name: user, role: .intake)
    }
    if let needs, !actor.may(needs), !rootItself { throw DomainError.notPermitted(user: actor.user, permission: needs) }
    let journal = try FileJournal(path: path, create: true, writable: true)
    var deskRules = rules
    if journal.isDemo { deskRules.intake.sendReplies = false }  // a demo desk never mails anyone
    let desk = try IntakeDesk(journal: journal, rules: deskRules)
    desk.snapshots = SnapshotKeeper(journal: journal, every: g.snapshotEvery, coveredSeq: desk.snapshotSeq)
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

func describe(_ o: IntakeOutcome) -> String {
    let flag = o.flagged ? " (flagged: unreadable parts)" : ""
    switch o.result {
    case .created(let t): return "new ticket \(t)" + flag
    case .threaded(let t): return "added to \(t)" + flag
    case .linked(let t, let from): return "new ticket \(t), continuing closed \(from)" + flag
    case .attached(let t): return "automatic message attached to \(t) (no status change)"
    case .awaiting(let t): return "held on \(t): the sender is not its customer; nothing changes until an agent accepts it (qdeck accept \(t))" + flag
    case .held: return "automatic message matching no ticket: held apart (qdeck ingest held)"
    case .duplicate(let t): return "already stored" + (t == .desk ? " (held)" : " in \(t)") + "; nothing added"
    case .ignored(let why): return "ignored: \(why)"
    }
}

struct IngestMail: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mail",
        abstract: "Store one message from standard input (an MTA alias pipe).",
        discussion: """
        Postfix alias:  support: "|/usr/local/bin/qdeck ingest mail --journal /srv/qdeck/desk.journal --queue support"
        Exit 0 once the message is durable (or was already stored); 75 (EX_TEMPFAIL) when it could not be \
        stored now, so that the mail server retries. A message that cannot be parsed is stored raw and flagged.
        """)
    @OptionGroup var globals: GlobalOptions
    @Option(name: .long, help: "The intake queue (a department, or a name mapped in intake.queues). Default: $EXTENSION.") var queue: String?

    func run() throws {
        // An MTA only understands exit codes: anything that stops the message being stored now is a
        // temporary failure (75) so that it retries; never a bounce for our own trouble.
        defer { SnapshotKeeper.waitForAll() }
        do {
            let raw = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
            guard !raw.isEmpty else { throw Failure(code: Exit.dataErr, message: "empty message on standard input") }
            let env = globals.environment
            let q = queue ?? env["EXTENSION"].flatMap { $0.isEmpty ? nil : $0 }
            let arrival = MailArrivalBuilder.arrival(raw, queue: q, envelopeSender: env["SENDER"])
            let desk = try intakeDesk(globals, needs: .intake)
            let now = try globals.now()
            let outcome = try desk.ingest { state, newID in
                Intake.mail(arrival, state: state, now: now, rules: desk.rules, newID: newID)
            }
            emit(describe(outcome))
        } catch let f as Failure where f.code == Exit.dataErr {
            printError("qdeck: " + f.message)
            throw ExitCode(Exit.dataErr)
        } catch {
            let (_, message) = describeFailure(error)
            printError("qdeck: message not stored, try again later: " + message)
            throw ExitCode(Exit.tempFail)
        }
    }
}

/// Shared by maildir and mbox: group-committed import with a progress bar and a summary.
struct ImportTally {
    var imported = 0, threaded = 0, duplicates = 0, flagged = 0, automatic = 0, awaiting = 0, failed = 0
    var total: Int
    let terminal = isatty(2) == 1
    var lastDraw = 0.0

    mutating func count(_ o: IntakeOutcome) {
        switch o.result {
        case .created, .linked: imported += 1
        case .threaded: threaded += 1
        case .attached, .held: automatic += 1
        case .awaiting: awaiting += 1
        case .duplicate: duplicates += 1
        case .ignored: break
        }
        if o.flagged { flagged += 1 }
    }

    mutating func progress(_ done: Int) {
        guard terminal else { return }
        let now = Date().timeIntervalSince1970
        guard now - lastDraw > 0.1 || done == total else { return }
        lastDraw = now
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\(bar) \(done)/\(total)".utf8))
        if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    var summary: String {
        "imported \(imported) new tickets, threaded \(threaded) into existing ones, \(duplicates) duplicates skipped, "
            + "\(flagged) flagged unreadable, \(automatic) automatic (attached or held)"
            + (awaiting > 0 ? ", \(awaiting) from other senders awaiting an agent (qdeck accept)" : "")
            + (failed > 0 ? ", \(failed) unreadable files skipped" : "")
    }
}

func importMessages(_ g: GlobalOptions, queue: String?, messages: [() throws -> [UInt8]], names: [String], datesFromHeaders: Bool) throws {
    let desk = try intakeDesk(g, needs: .intake)
    let now = try g.now()
    var tally = ImportTally(total: messages.count)
    var arrivals: [(MailArrival, Instant)] = []
    arrivals.reserveCapacity(messages.count)
    for (i, load) in messages.enumerated() {
        do {
            let raw = try load()
            let m = MailArrivalBuilder.arrival(raw, queue: queue)
            // An imported inbox keeps its history: each message at its Date (never in the future).
            let date = datesFromHeaders ? (MailParser.parse(raw).date.map { Instant(ms: min($0, now.ms)) } ?? now) : now
            arrivals.append((m, date))
        } catch {
            tally.failed += 1
            printError("qdeck: \(names[i]): \(describeFailure(error).1) (skipped)")
        }
    }
    arrivals.sort { $0.1 < $1.1 }
    try desk.ingestBatch(arrivals, decide: { item, state, newID in
        Intake.mail(item.0, state: state, now: item.1, rules: desk.rules, newID: newID)
    }, progress: { n, o in
        tally.count(o)
        tally.progress(n + 1)
    })
    emit(tally.summary)
}

struct IngestMaildir: DeskCommand {
    static let configuration = CommandConfiguration(commandName: "maildir", abstract: "Import a Maildir (cur/ and new/): an existing shared inbox.")
    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The Maildir folder.") var dir: String
    @Option(name: .long, help: "The intake queue for new tickets.") var queue: String?

    func execute() throws {
        var files: [String] = []
        var sawSubfolder = false
        for sub in ["cur", "new"] {
            let folder = dir + "/" + sub
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            sawSubfolder = true
            files += names.filter { !$0.hasPrefix(".") }.sorted().map { folder + "/" + $0 }
        }
        guard sawSubfolder else { throw Failure(code: Exit.noInput, message: "\(dir): not a Maildir (no cur/ or new/ folder)") }
        // A link in new/ (to /etc/shadow, say) is not followed: skipped and reported, never imported.
        let loads = files.map { f in { () throws -> [UInt8] in try GuardedFile.readAll(f) } }
        try importMessages(globals, queue: queue, messages: loads, names: files, datesFromHeaders: true)
    }
}

struct IngestMbox: DeskCommand {
    static let configuration = CommandConfiguration(commandName: "mbox", abstract: "Import an mbox file: an existing shared inbox.")
    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The mbox file.") var file: String
    @Option(name: .long, help: "The intake queue for new tickets.") var queue: String?

    func execute() throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw Failure(code: Exit.noInput, message: "\(file): cannot read") }
        let bytes = [UInt8](data)
        let ranges = Mbox.messages(bytes)
        let loads = ranges.map { r in { () throws -> [UInt8] in Mbox.unquote(bytes[r]) } }
        try importMessages(globals, queue: queue, messages: loads, names: ranges.map { "\(file) (byte \($0.lowerBound))" }, datesFromHeaders: true)
    }
}

struct IngestQueueLog: DeskCommand {
    static let configuration = CommandConfiguration(
        commandName: "queue-log",
        abstract: "Read an Asterisk queue_log: calls waiting, answered, completed and abandoned; agent pauses.",
        discussion: "With --follow, keeps reading lines as Asterisk writes them (rotation included). Where it stopped is kept in FILE.qdeck-offset beside the journal, so a restart resumes without duplicates.")
    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The queue_log file.") var file: String
    @Flag(name: .long, help: "Keep following the file.") var follow = false
    @Option(name: .long, help: ArgumentHelp("Where to keep the read position (default: beside the journal).", valueName: "file")) var state: String?

    func execute() throws {
        let desk = try intakeDesk(globals, needs: .intake)
        let statePath = state ?? desk.journal.path + "." + ConfigLoader.fileName(of: file) + ".offset"
        let tail = try LogTail(path: file, statePath: statePath)
        tail.journalPath = desk.journal.path
        // A parent's blocked signals survive exec: unblock the ones that stop the follower.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
        var counts: [String: Int] = [:]
        var bad = 0
        signal(SIGTERM) { _ in stopFollowing = 1 }
        signal(SIGINT) { _ in stopFollowing = 1 }
        repeat {
            let lines = try tail.readLines()
            var calls: [CallEvent] = []
            for l in lines where !l.text.isEmpty {
                do {
                    calls.append(try QueueLogLine.parse(l.text, file: file, lineNumber: l.number, offset: l.offset))
                } catch {
                    bad += 1
                    printError("qdeck: \(error) (line skipped)")
                }
            }
            if !calls.isEmpty {
                try desk.ingestBatch(calls, batchSize: 256, decide: { c, state, newID in
                    Intake.call(c, state: state, rules: desk.rules, newID: newID)
                }, progress: { _, o in
                    let k: String = switch o.result {
                    case .created: "calls"
                    case .duplicate: "duplicates"
                    case .ignored(let why) where why == "presence": "presence changes"
                    case .ignored: "ignored"
                    default: "call events"
                    }
                    counts[k, default: 0] += 1
                    if follow { emit(describe(o)) }
                })
            }
            if !lines.isEmpty { try tail.commit() }
            if follow { usleep(100_000) }
        } while follow && stopFollowing == 0
        if bad > 0 { counts["unreadable lines", default: 0] += bad }
        emit(counts.isEmpty ? "nothing new" : counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
    }
}

nonisolated(unsafe) var stopFollowing: sig_atomic_t = 0

struct IngestChat: DeskCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Read a chat system's JSON-lines transcript stream (a file, or - for standard input as it arrives).",
        discussion: "The line format is in README.md (Chat transcripts). Reading the same lines again adds nothing.")
    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The transcript file, or - for standard input.") var file: String

    func execute() throws {
        let desk = try intakeDesk(globals, needs: .intake)
        let handle: FileHandle
        if file == "-" { handle = .standardInput } else {
            guard let h = FileHandle(forReadingAtPath: file) else { throw Failure(code: Exit.noInput, message: "\(file): cannot read") }
            handle = h
        }
        let name = file == "-" ? "<stdin>" : file
        let now = try globals.now()
        let window = ((desk.journal.created ?? now) - .days(365))...(now + .days(1))
        var tally: [String: Int] = [:]
        var lineNumber = 0
        var offset: Int64 = 0
        var pending: [UInt8] = []
        func handleLine(_ bytes: ArraySlice<UInt8>) throws {
            lineNumber += 1
            defer { offset += Int64(bytes.count + 1) }
            let text = String(decoding: bytes, as: UTF8.self)
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return }
            do {
                let line = try ChatTranscriptLine.parse(Substring(text), file: name, lineNumber: lineNumber, offset: offset, window: window)
                let o = try desk.ingest { state, newID in Intake.chat(line, state: state, rules: desk.rules, newID: newID) }
                tally[resultName(o), default: 0] += 1
            } catch let e as IntakeInputError {
                tally["unreadable lines", default: 0] += 1
                printError("qdeck: \(e) (line skipped)")
            } catch JournalError.eventTooLarge(_, let bytes, let limit) {
                // One oversized line must not stop the stream: named, skipped, the rest read.
                tally["unreadable lines", default: 0] += 1
                printError("qdeck: \(name):\(lineNumber) (byte \(offset)): the message is \(bytes) bytes, over the journal's limit of \(limit) (line skipped)")
            }
        }
        // Each byte is looked at once: a long line arriving in many chunks is not rescanned from its
        // start for every chunk (a 17 MB line once took minutes).
        var scanned = 0
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { break }
            pending += chunk
            var start = 0
            while let newline = pending[max(start, scanned)...].firstIndex(of: 0x0A) {
                try handleLine(pending[start..<newline])
                start = newline + 1
            }
            if start > 0 { pending.removeFirst(start) }
            scanned = pending.count
        }
        if !pending.isEmpty { try handleLine(pending[...]) }
        emit(tally.isEmpty ? "nothing new" : tally.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
    }

    func resultName(_ o: IntakeOutcome) -> String {
        switch o.result {
        case .created: "chats started"
        case .threaded: "chat events"
        case .duplicate: "duplicates"
        default: "ignored"
        }
    }
}

struct IngestHeld: DeskCommand {
    static let configuration = CommandConfiguration(commandName: "held", abstract: "List automatic mail (auto-replies, bounces) that matched no ticket.")
    @OptionGroup var globals: GlobalOptions

    func execute() throws {
        let session = try DeskSession(globals, writable: false)
        let held = session.state.held
        if held.isEmpty { emit("nothing held"); return }
        for h in held {
            emit("\(h.at.isoUTC)  \(h.record.kind.name)  \(ScreenText.line(h.record.summary))")
        }
    }
}
