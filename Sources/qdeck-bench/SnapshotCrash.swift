import Foundation
import QueueDeckDomain
import QueueDeckJournal

/// Part 5 of the crash suite: snapshot files cut, corrupted, forged, and a snapshot writer killed
/// mid-write. Whatever happens to a snapshot, loading gives exactly the desk a full replay gives.
extension CrashSuite {
    static let autoClose = Millis.days(3)

    static func snapshots(dir: String, from journal: String, bench: String, trials: Int, kills: Int) {
        let path = dir + "/snap.journal"
        _ = prefix(of: journal, limit: 1 << 20, to: path)
        let truth = replayed(path)
        let j = try! FileJournal(path: path, writable: false)
        try! j.readNew { _ in }
        let snap = try! SnapshotFile.write(truth, position: j.position!, journal: path, now: Instant(ms: WallClock.nowMillis)).path
        let good = [UInt8](FileManager.default.contents(atPath: snap)!)
        let intact = load(path)
        check(intact.snapshot != nil && intact.state == truth, "an intact snapshot must be used and equal the replay")

        // a. Cut at every byte of the header and at spread offsets of the body.
        var cuts = Array(0..<min(good.count, 256))
        cuts += stride(from: 256, to: good.count, by: max(1, (good.count - 256) / trials)).map { $0 }
        for at in cuts { expectFallback(path, snap, Array(good[0..<at]), truth, "cut at \(at)") }
        // b. Random bytes changed.
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<trials {
            var b = good
            for _ in 0..<Int.random(in: 1...4, using: &rng) { b[Int.random(in: 0..<b.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng) }
            expectFallback(path, snap, b, truth, "corrupted")
        }
        // c. Forged: garbage under valid checksums must never crash the decoder.
        var refused = 0
        for _ in 0..<trials {
            var b = good
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                b[Int.random(in: SnapshotFile.headerSize..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            writeBytes(resealed(b), snap)
            if load(path).snapshot == nil { refused += 1 }
        }
        writeBytes(good, snap)
        say("5a. Snapshot cut at \(cuts.count) offsets (every byte of the header) and corrupted \(trials) times: every one passed over, each load equal to a full replay (\(truth.count) tickets)")
        say("5b. Snapshot bytes changed under recomputed checksums, \(trials) times: no crash; \(refused) refused by the decoder, the rest decoded (forgery is outside what checksums can see)")

        // d. SIGKILL of a writer in the middle of writing snapshots.
        for f in SnapshotFile.list(journal: path) { unlink(f.path) }
        var left = 0
        for k in 0..<kills {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: bench)
            p.arguments = ["snapshot-writer", path]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try! p.run()
            usleep(UInt32.random(in: 20_000...250_000, using: &rng))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            for f in SnapshotFile.list(journal: path) {
                let whole = (try? SnapshotFile.readHeader(f.path)).flatMap { try? SnapshotFile.readState(f.path, header: $0) }
                check(whole == truth, "kill \(k): \(f.path) is under a snapshot's name but not whole")
            }
            check(load(path).state == truth, "kill \(k): load after a killed snapshot writer differs from the replay")
            left = (try? FileManager.default.contentsOfDirectory(atPath: dir))?.filter { $0.contains(".snapshot-tmp-") }.count ?? 0
        }
        say("5c. \(kills) SIGKILLs of a snapshot writer mid-write: every file under a snapshot name was whole, every load equal to the replay; \(left) temporary files left (swept after an hour)")
        restoredFromBackup(dir: dir, from: path, trials: max(10, trials / 10))
    }

    /// d. The journal restored from a backup (a copy of the same file, same UUID), then written to
    /// again with events of the same lengths: the snapshot of the lost history has a record with its
    /// number ending at its offset, but other content. It must never be trusted (issue 13, item 2).
    static func restoredFromBackup(dir: String, from source: String, trials: Int) {
        let path = dir + "/restore.journal"
        let full = [UInt8](FileManager.default.contents(atPath: source)!)
        var ends: [Int] = []
        var end = Layout.headerSize
        while end < full.count { end += recordSize(full, at: end); ends.append(end) }
        let events = (try! FileJournal(path: source, writable: false).readNew()).map(\.event)
        var rng = SystemRandomNumberGenerator()
        var passedOver = 0
        for t in 0..<trials {
            let kept = Int.random(in: (ends.count / 4)..<(ends.count - 1), using: &rng)
            for f in SnapshotFile.list(journal: path) { unlink(f.path) }
            writeBytes(full, path)
            let lost = try! FileJournal(path: path, writable: false)
            var state = DeskState(autoCloseAfter: autoClose)
            try! lost.readNew { state.apply($0) }
            _ = try! SnapshotFile.write(state, position: lost.position!, journal: path, now: Instant(ms: WallClock.nowMillis))
            // Restore the backup, then the same kinds of events again, each at another moment.
            writeBytes(Array(full[0..<ends[kept - 1]]), path)
            let w = try! FileJournal(path: path)
            try! w.readNew { _ in }
            // One batch (one fsync): the records are the same lengths however they are grouped.
            try! w.append(events[kept...].enumerated().map { i, e in
                var again = e
                again.at = Instant(ms: e.at.ms + 1 + Int64(i))
                return again
            }, expecting: [:])
            check([UInt8](FileManager.default.contents(atPath: path)!).count == full.count, "restore \(t): the rewritten journal is not the same length")
            let l = load(path)
            if l.snapshot == nil { passedOver += 1 }
            check(l.snapshot == nil, "restore \(t): the snapshot of the lost history was trusted")
            check(l.state == replayed(path), "restore \(t): load differs from a full replay")
        }
        say("5d. Journal restored from a backup \(trials) times and written again with same-length events: the old snapshot was passed over \(passedOver) times, every load equal to a full replay")
    }

    static func replayed(_ path: String) -> DeskState {
        var s = DeskState(autoCloseAfter: autoClose)
        try! FileJournal(path: path, writable: false).readNew { s.apply($0) }
        return s
    }

    static func load(_ path: String) -> DeskLoad {
        try! DeskLoader.load(try! FileJournal(path: path, writable: false), autoCloseAfter: autoClose)
    }

    static func expectFallback(_ path: String, _ snap: String, _ bytes: [UInt8], _ truth: DeskState, _ what: String) {
        writeBytes(bytes, snap)
        let l = load(path)
        check(l.snapshot == nil && l.passedOver.count == 1, "\(what): a damaged snapshot was used")
        check(l.state == truth, "\(what): load differs from a full replay")
    }

    /// The same bytes with the body and header checksums made to match.
    static func resealed(_ b: [UInt8]) -> [UInt8] {
        var out = b
        let body = Array(b[SnapshotFile.headerSize...])
        let crc = CRC32C.checksum(body)
        withUnsafeBytes(of: crc.littleEndian) { for (i, x) in $0.enumerated() { out[80 + i] = x } }
        let head = CRC32C.checksum(Array(out[0..<124]))
        withUnsafeBytes(of: head.littleEndian) { for (i, x) in $0.enumerated() { out[124 + i] = x } }
        return out
    }

    static func writeBytes(_ b: [UInt8], _ path: String) {
        unlink(path)
        FileManager.default.createFile(atPath: path, contents: Data(b))
    }
}

/// `qdeck-bench snapshot-writer JOURNAL`: writes snapshots of the journal again and again until
/// killed (the crash suite's victim).
enum SnapshotWriterVictim {
    static func run(_ args: [String]) {
        let j = try! FileJournal(path: args[0], writable: false)
        var s = DeskState(autoCloseAfter: CrashSuite.autoClose)
        try! j.readNew { s.apply($0) }
        while true { _ = try? SnapshotFile.write(s, position: j.position!, journal: args[0], now: Instant(ms: WallClock.nowMillis)) }
    }
}
