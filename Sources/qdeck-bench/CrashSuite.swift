import Foundation
import QueueDeckDomain
import QueueDeckBackends
import QueueDeckJournal
import QueueDeckPostgres

/// `qdeck-bench crash-suite DIR [--long]`: the journal's crash and corruption suite (issue 6).
/// 1. SIGKILL: 4 stress-writers appending at once, one killed at a random moment again and again
///    (100 kills; 1,000 with --long). Every acknowledged event must be present exactly once, with
///    contiguous sequence numbers.
/// 2. Cut: the journal cut at every byte offset of its last three records: each cut reads as the
///    records before it, and the next append works.
/// 3. Corruption: random bytes flipped (100 trials; 2,000 with --long): a reader either reads only
///    records that match the originals or names the damage with its offset; repair keeps the rest.
/// 4. Disk full: a writer on a 256 kB tmpfs, and a writer under a file-size limit: refused cleanly,
///    nothing acknowledged is lost, the journal verifies.
/// 5. Snapshots: cut at every header byte and across the body, corrupted, forged under valid
///    checksums, and their writer killed mid-write (20 kills; 200 with --long): every load equals
///    a full replay (see SnapshotCrash.swift).
/// With `--postgres URI` (an empty database after `qdeck db init`, a login that may write), part 1
/// only, against PostgreSQL (the other parts are about the file's own format).
/// Exit 0 only if every check held; prints one line per part for docs/RELIABILITY.md.
enum CrashSuite {
    nonisolated(unsafe) static var failures = 0

    /// Results go out at once (a pipe would buffer print until exit).
    static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    static func check(_ ok: Bool, _ what: @autoclosure () -> String) {
        if !ok { failures += 1; say("  FAILED: \(what())") }
    }

    static func run(_ args: [String]) {
        let long = args.contains("--long")
        let dir = (args.first { !$0.hasPrefix("-") } ?? NSTemporaryDirectory()) + "/qdeck-crash-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let bench = URL(fileURLWithPath: CommandLine.arguments[0]).path
        let t0 = Date()
        if let i = args.firstIndex(of: "--postgres"), i + 1 < args.count {
            kills(journal: args[i + 1], dir: dir, bench: bench, kills: long ? 1000 : 100)
            say(String(format: "crash suite on PostgreSQL (%@): %@ in %.0f s", long ? "long" : "short", failures == 0 ? "all checks held" : "\(failures) FAILED", Date().timeIntervalSince(t0)))
            exit(failures == 0 ? 0 : 1)
        }
        let journal = dir + "/kill.journal"
        kills(journal: journal, dir: dir, bench: bench, kills: long ? 1000 : 100)
        cuts(dir: dir, from: journal)
        corruption(dir: dir, from: journal, trials: long ? 2000 : 100)
        diskFull(dir: dir, bench: bench)
        snapshots(dir: dir, from: journal, bench: bench, trials: long ? 2000 : 100, kills: long ? 200 : 20)
        say(String(format: "crash suite (%@): %@ in %.0f s", long ? "long" : "short", failures == 0 ? "all checks held" : "\(failures) FAILED", Date().timeIntervalSince(t0)))
        exit(failures == 0 ? 0 : 1)
    }

    static func subjects(_ events: [StoredEvent]) -> [String] {
        events.compactMap { if case .created(let o) = $0.event.kind { o.subject } else { nil } }
    }

    // MARK: 1. SIGKILL

    static func kills(journal: String, dir: String, bench: String, kills target: Int) {
        struct Run { var process: Process; var out: String }
        var next = [0, 0, 0, 0]
        var acked: Set<String> = []
        var runs: [Int: Run] = [:]
        var n = 0
        func start(_ w: Int) {
            n += 1
            let out = dir + "/w\(w)-\(n).out"
            FileManager.default.createFile(atPath: out, contents: nil)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: bench)
            p.arguments = ["stress-writer", journal, String(w), String(next[w]), "1000000"]
            p.standardOutput = FileHandle(forWritingAtPath: out)!
            p.standardError = FileHandle.nullDevice
            try! p.run()
            runs[w] = Run(process: p, out: out)
        }
        func collect(_ w: Int) {
            guard let r = runs[w] else { return }
            r.process.waitUntilExit()
            let text = String(decoding: FileManager.default.contents(atPath: r.out) ?? Data(), as: UTF8.self)
            for line in text.split(separator: "\n") {
                let f = line.split(separator: " ")
                guard f.count >= 2, let k = f[1].split(separator: "-").last.flatMap({ Int($0) }) else { continue }
                if f[0] == "ack" && f.count == 3 { acked.insert(String(f[1])) }
                next[w] = max(next[w], k + 1)
            }
            try? FileManager.default.removeItem(atPath: r.out)
        }
        let t0 = Date()
        for w in 0..<4 { start(w) }
        var rng = SystemRandomNumberGenerator()
        var kills = 0
        while kills < target {
            usleep(UInt32.random(in: 2_000...15_000, using: &rng))
            let w = Int.random(in: 0..<4, using: &rng)
            guard let r = runs[w] else { continue }
            kill(r.process.processIdentifier, SIGKILL)
            kills += 1
            collect(w)
            start(w)
        }
        for w in 0..<4 { if let r = runs[w] { kill(r.process.processIdentifier, SIGKILL); kills += 1; collect(w) } }
        // A writable open cuts the torn tail the last kills left.
        let location = BenchJournal.location(journal)
        let events = (try? location.open().readNew()) ?? []
        let subs = subjects(events)
        var counts: [String: Int] = [:]
        for s in subs { counts[s, default: 0] += 1 }
        let missing = acked.filter { counts[$0] == nil }.count
        let doubled = counts.values.filter { $0 > 1 }.count
        check(missing == 0, "\(missing) acknowledged events missing")
        check(doubled == 0, "\(doubled) events stored twice")
        check(events.map(\.seq).elementsEqual(1..<UInt64(events.count + 1)), "sequence numbers have gaps")
        switch location {
        case .file(let path):
            let report = try? JournalRepair.verify(path: path)
            check(report?.damage.isEmpty == true, "journal damaged after kills")
        case .postgres(let address, _):
            let b = try? PostgresJournal(address: address, writable: false).bookkeeping()
            check(b.map { $0.events == $0.lastSeq && $0.counter == $0.lastSeq } == true, "the database's counter or sequence is off: \(String(describing: b))")
        }
        say("1. SIGKILL\(location.kind == .file ? "" : " (PostgreSQL)"): \(kills) kills of 4 concurrent writers in \(Int(Date().timeIntervalSince(t0))) s; \(acked.count) acknowledged, \(events.count) stored; missing \(missing), duplicated \(doubled); sequence contiguous; verify clean")
    }

    /// The size of the record at `offset`, from its length field (docs/JOURNAL.md: marker, then a
    /// little-endian u32 payload length).
    static func recordSize(_ b: [UInt8], at offset: Int) -> Int {
        let len = Int(b[offset + 4]) | Int(b[offset + 5]) << 8 | Int(b[offset + 6]) << 16 | Int(b[offset + 7]) << 24
        return Layout.recordSize(payload: len)
    }

    /// The journal's first whole records up to `limit` bytes, as a file of its own: parts 2 and 3
    /// open it hundreds of times, which on the full journal would take minutes.
    static func prefix(of journal: String, limit: Int, to path: String) -> [UInt8] {
        let full = [UInt8](FileManager.default.contents(atPath: journal)!)
        var end = Layout.headerSize
        while end + 8 <= full.count {
            let next = end + recordSize(full, at: end)
            if next > limit || next > full.count { break }
            end = next
        }
        let bytes = Array(full[0..<end])
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return bytes
    }

    // MARK: 2. Cut at every byte

    static func cuts(dir: String, from journal: String) {
        let source = dir + "/cut-source.journal"
        let bytes = prefix(of: journal, limit: 64 * 1024, to: source)
        let journal = source
        guard let all = try? FileJournal(path: journal, writable: false).readNew(), all.count >= 3 else { check(false, "no records to cut"); return }
        // Record boundaries: re-read prefixes is costly; find them from sizes by reading each record's end.
        var ends: [Int] = []
        var offset = Layout.headerSize
        while offset + 8 <= bytes.count {
            offset += recordSize(bytes, at: offset)
            ends.append(offset)
        }
        let start = ends[ends.count - 4]
        let path = dir + "/cut.journal"
        var cutsDone = 0
        for cut in start...bytes.count {
            FileManager.default.createFile(atPath: path, contents: Data(bytes[0..<cut]))
            let whole = ends.filter { $0 <= cut }.count
            let read = (try? FileJournal(path: path, writable: false).readNew()) ?? []
            check(read.count == whole && read.last?.event == all[whole - 1].event, "cut at \(cut): read \(read.count) records, expected \(whole)")
            if let j = try? FileJournal(path: path) {
                let e = Event(ticket: .desk, at: Instant(ms: 1), actor: "cut", kind: .presence(agent: "cut", .away))
                check((try? j.append([e], expecting: [:])) != nil, "append after cut at \(cut)")
                check(((try? FileJournal(path: path, writable: false).readNew()) ?? []).count == whole + 1, "read after append at \(cut)")
            } else {
                check(false, "cannot reopen after cut at \(cut)")
            }
            cutsDone += 1
        }
        say("2. Cut: \(cutsDone) cuts at every byte of the last 3 records (\(bytes.count - start) bytes) of the journal's first \(all.count) records: each read exactly the whole records before it, and the next append worked")
    }

    // MARK: 3. Random corruption

    static func corruption(dir: String, from journal: String, trials: Int) {
        // A prefix of the journal (whole records, at most 256 kB): each trial reads and repairs it.
        let prefixPath = dir + "/prefix.journal"
        let original = prefix(of: journal, limit: 256 * 1024, to: prefixPath)
        let events = (try? FileJournal(path: prefixPath, writable: false).readNew()) ?? []
        let bySeq = Dictionary(events.map { ($0.seq, $0.event) }, uniquingKeysWith: { a, _ in a })
        var rng = SystemRandomNumberGenerator()
        var named = 0, clean = 0, repaired = 0
        let path = dir + "/corrupt.journal"
        var starts: [Int] = []
        var offset = Layout.headerSize
        while offset + 8 <= original.count {
            starts.append(offset)
            offset += recordSize(original, at: offset)
        }
        let originalEvents = events.map(\.event)
        for _ in 0..<trials {
            var b = original
            var touched = Set<Int>()
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                let at = Int.random(in: Layout.headerSize..<b.count, using: &rng)
                b[at] ^= UInt8.random(in: 1...255, using: &rng)
                touched.insert((starts.lastIndex { $0 <= at }) ?? 0)
            }
            FileManager.default.createFile(atPath: path, contents: Data(b))
            do {
                let read = try FileJournal(path: path, writable: false).readNew()
                // Whatever is read must be a record that was written, unchanged.
                check(read.allSatisfy { bySeq[$0.seq] == $0.event }, "a corrupted record was read as valid")
                clean += 1
            } catch JournalError.damaged(_, let offset, _, _, _) {
                check(offset >= Int64(Layout.headerSize) && offset < Int64(b.count), "damage offset \(offset) outside the file")
                named += 1
            } catch {
                check(false, "unexpected error \(error)")
            }
            if (try? JournalRepair.repair(path: path)) != nil {
                // Every record the flips did not touch survives, in order, and nothing else appears.
                let after = ((try? FileJournal(path: path, writable: false).readNew()) ?? []).map(\.event)
                check(after.count >= originalEvents.count - touched.count, "repair kept \(after.count) of \(originalEvents.count) with \(touched.count) records touched")
                var i = 0
                check(after.allSatisfy { e in
                    while i < originalEvents.count && originalEvents[i] != e { i += 1 }
                    i += 1
                    return i <= originalEvents.count
                }, "repair produced a record that was not written, or out of order")
                repaired += 1
            } else {
                check(false, "repair failed")
            }
            for f in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where f.hasPrefix("corrupt.journal") {
                try? FileManager.default.removeItem(atPath: dir + "/" + f)
            }
        }
        say("3. Corruption: \(trials) trials of 1–8 flipped bytes in \(events.count) records (\(original.count / 1024) kB): \(named) named the damage with its offset, \(clean) read only unchanged records (tail cut or flip in a torn tail), no garbage read; repair ran \(repaired) times and kept every record the flips did not touch, in order")
    }

    // MARK: 4. Disk full

    static func diskFull(dir: String, bench: String) {
        let mnt = dir + "/small"
        try? FileManager.default.createDirectory(atPath: mnt, withIntermediateDirectories: true)
        var tmpfs = false
        if mount("tmpfs", mnt, "tmpfs", 0, "size=256k") == 0 { tmpfs = true }
        defer { if tmpfs { umount(mnt) } }
        func fill(_ journal: String, limitKB: Int?) -> (acked: Int, stored: Int, status: Int32, error: String) {
            let p = Process()
            let out = dir + "/full-\(limitKB ?? 0).out", err = dir + "/full-\(limitKB ?? 0).err"
            FileManager.default.createFile(atPath: out, contents: nil)
            FileManager.default.createFile(atPath: err, contents: nil)
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            let cmd = "'\(bench)' stress-writer '\(journal)' 1 0 100000"
            p.arguments = ["-c", limitKB.map { "ulimit -f \($0) && exec \(cmd)" } ?? "exec \(cmd)"]
            p.standardOutput = FileHandle(forWritingAtPath: out)!
            p.standardError = FileHandle(forWritingAtPath: err)!
            try! p.run()
            p.waitUntilExit()
            let acked = String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self).split(separator: "\n").filter { $0.hasPrefix("ack") }.map { String($0.split(separator: " ")[1]) }
            let stored = Set(subjects((try? FileJournal(path: journal, writable: false).readNew()) ?? []))
            check(acked.allSatisfy { stored.contains($0) }, "disk full: an acknowledged event is missing")
            check((try? JournalRepair.verify(path: journal))?.damage.isEmpty == true, "disk full: journal damaged")
            let e = String(decoding: FileManager.default.contents(atPath: err) ?? Data(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            return (acked.count, stored.count, p.terminationStatus, e)
        }
        if tmpfs {
            let r = fill(mnt + "/full.journal", limitKB: nil)
            check(r.status == 74 && r.error.contains("No space left on device") && r.error.contains("nothing was stored"), "tmpfs: writer should stop with ENOSPC, got \(r.status): \(r.error)")
            say("4a. Disk full (256 kB tmpfs): writer refused cleanly (exit \(r.status): \(r.error)); \(r.acked) acknowledged, \(r.stored) stored, none lost; verify clean")
        } else {
            say("4a. Disk full (tmpfs): not run — mounting needs root")
        }
        let r = fill(dir + "/limit.journal", limitKB: 128)
        check(r.status == 74 && r.error.contains("File too large") && r.error.contains("nothing was stored"), "ulimit -f: writer should stop with EFBIG, got \(r.status): \(r.error)")
        say("4b. File-size limit (ulimit -f 128): writer refused cleanly (exit \(r.status): \(r.error)); \(r.acked) acknowledged, \(r.stored) stored, none lost; verify clean")
    }
}
