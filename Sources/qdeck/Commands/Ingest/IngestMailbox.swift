import ArgumentParser
import Foundation
import QueueDeckConfig
import QueueDeckDomain
import QueueDeckIntake
import QueueDeckJournal
import QueueDeckMail
import QueueDeckText
import CQueueDeckSignals

/// A progress bar on standard error while a long import runs (only on a terminal).
struct ProgressBar {
    let total: Int
    let terminal = isatty(2) == 1
    var lastDraw = 0.0

    mutating func draw(_ done: Int) {
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
}

/// Shared by maildir and mbox: group-committed import with a progress bar and a summary.
func importMessages(_ g: GlobalOptions, queue: String?, messages: [() throws -> [UInt8]], names: [String], datesFromHeaders: Bool) throws {
    let desk = try intakeDesk(g, needs: .intake)
    let now = try g.now()
    var tally = ImportTally()
    var bar = ProgressBar(total: messages.count)
    var arrivals: [(MailArrival, Instant)] = []
    arrivals.reserveCapacity(messages.count)
    for (i, load) in messages.enumerated() {
        do {
            let raw = try load()
            let m = try MailArrivalBuilder.arrival(raw, queue: queue, blobs: desk.journal.blobs, limit: desk.rules.intake.maxAttachmentBytes,
                                                   desk: desk.rules.intake.address, deferSync: true)
            // An imported inbox keeps its history: each message at its Date (never in the future).
            let date = datesFromHeaders ? (MailParser.parse(raw).date.map { Instant(ms: min($0, now.ms)) } ?? now) : now
            arrivals.append((m, date))
        } catch {
            tally.failed += 1
            printError("qdeck: \(names[i]): \(describeFailure(error).1) (skipped)")
        }
    }
    arrivals.sort { $0.1 < $1.1 }
    // History brought in is routed by the rules like live mail, and never answered.
    desk.source = .backfill
    // Every attachment durable before any message naming it is (one sync for the whole import).
    try desk.journal.blobs.syncDeferred()
    try desk.ingestBatch(arrivals, decide: { item, state, newID in
        Intake.mail(item.0, state: state, now: item.1, rules: desk.rules, newID: newID)
    }, progress: { n, o in
        tally.count(o)
        bar.draw(n + 1)
    })
    emit(tally.summary)
}

struct IngestMaildir: DeskCommand {
    static let configuration = CommandConfiguration(
        commandName: "maildir", abstract: "Import a Maildir (cur/ and new/): an existing shared inbox; with --watch, follow one a fetcher fills.",
        discussion: "With --watch: each new message (in new/, or in cur/ without qdeck's mark) is stored in the journal, then moved to cur/ marked seen and stored (flags S and q); a restart resumes without duplicates. README.md (Hosted mailboxes) has recipes for mbsync and getmail6.")
    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The Maildir folder.") var dir: String
    @Option(name: .long, help: "The intake queue for new tickets.") var queue: String?
    @Flag(name: .long, help: "Keep following the Maildir until stopped (SIGTERM, Ctrl-C).") var watch = false

    func execute() throws {
        if watch { return try follow() }
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

extension IngestMaildir {
    /// Stores what a fetcher delivers, as it arrives: in group commits, each message moved to
    /// `cur/` only once the journal has it (durably), so a crash loses nothing and repeats nothing.
    func follow() throws {
        let desk = try intakeDesk(globals, needs: .intake)
        let box: MaildirWatch
        do { box = try MaildirWatch(folder: dir) } catch { throw Failure(code: Exit.noInput, message: "\(error)") }
        for sub in ["new", "cur"] where access(dir + "/" + sub, W_OK) != 0 {
            printError("qdeck: warning: \(dir)/\(sub): not writable by this user; stored messages cannot be moved to cur/ (run the watcher as the fetcher's user)")
        }
        let stops = [SIGTERM, SIGINT]
        qdeck_catch_signals(stops, Int32(stops.count))
        emit("following \(dir) (stop with Ctrl-C or SIGTERM)")
        var said: Set<String> = []  // each problem with a file said once, not every pass
        func sayOnce(_ m: MaildirWatch.Message, _ why: String) {
            if said.insert(m.name + "\u{0}" + why).inserted { printError("qdeck: \(m.path): \(why)") }
        }
        while qdeck_pending_signal() == 0 {
            do {
                let waiting = try box.waiting()
                var start = 0
                while start < waiting.count && qdeck_pending_signal() == 0 {
                    let batch = Array(waiting[start..<min(start + 256, waiting.count)])
                    start += batch.count
                    var arrivals: [(MailArrival, MaildirWatch.Message)] = []
                    func read(_ m: MaildirWatch.Message) -> [UInt8]? {
                        do {
                            return try box.read(m)
                        } catch .io(_, "open", let e) where e == ENOENT {
                            return nil  // the fetcher removed it meanwhile
                        } catch .io(_, "open", let e) where e == EACCES || e == EPERM {
                            sayOnce(m, "cannot be read by this user (\(String(cString: strerror(e)))); left in place, taken once it can be")
                        } catch {
                            // A link, a folder, a device: never read; moved aside as seen, so it is said once.
                            sayOnce(m, "\(describeFailure(error).1); skipped, marked seen")
                            if let why = box.markStored(m) { sayOnce(m, why) }
                        }
                        return nil
                    }
                    for m in batch {
                        guard let raw = read(m) else { continue }
                        // Keeping its attachments can fail as the journal can (a full disk): waited out below, never skipped.
                        arrivals.append((try MailArrivalBuilder.arrival(raw, queue: queue, blobs: desk.journal.blobs,
                                                                        limit: desk.rules.intake.maxAttachmentBytes, desk: desk.rules.intake.address,
                                                                        deferSync: true), m))
                    }
                    try desk.journal.blobs.syncDeferred()
                    let now = try globals.now()
                    // Mail the fetcher brought already read (seen on the server: flag S in cur/)
                    // is history: routed, never answered. The rest is live, and acknowledged now.
                    var events: [Event] = []
                    for (source, part) in [(Automation.Source.backfill, arrivals.filter { $0.1.seenBefore }), (.live, arrivals.filter { !$0.1.seenBefore })] where !part.isEmpty {
                        desk.source = source
                        try desk.ingestBatch(part, decide: { item, state, newID in
                            Intake.mail(item.0, state: state, now: now, rules: desk.rules, newID: newID)
                        }, progress: { _, o in
                            emit(describe(o))
                            events += o.decision.events
                        })
                    }
                    handOverRulesReplies(globals, desk: desk, events: events)
                    for (_, m) in arrivals { if let why = box.markStored(m) { sayOnce(m, why) } }
                }
            } catch JournalError.lockTimeout(let path, let seconds) {
                // Waiting is the watcher's job: busy or full now is not a reason to stop following.
                printError("qdeck: \(path): locked by another process for \(seconds) s; trying again in 5 s")
                sleep(5)
                continue
            } catch JournalError.writeFailed(let path, let e) where e == ENOSPC || e == EFBIG {
                printError("qdeck: \(path): \(String(cString: strerror(e))); nothing of this batch was stored; trying again in 30 s")
                sleep(30)
                continue
            } catch let e as JournalError {
                switch e {
                // The Maildir's folders gone, unreadable or swapped for links, or the database away: said, waited out.
                case .refused, .io, .unreachable:
                    printError("qdeck: \(e); trying again in 5 s")
                    sleep(5)
                    continue
                case .missing, .cannotOpen, .notAJournal, .damagedHeader, .networkFileSystem, .damaged, .stale, .lockTimeout,
                     .writeFailed, .shortWrite, .syncFailed, .replaced, .eventTooLarge, .denied, .database:
                    throw e
                }
            }
            box.wait()
        }
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
