import Foundation
import QueueDeckDomain
@testable import QueueDeckJournal
import Testing

/// Snapshots must give exactly the desk a full replay gives, or be passed over.
@Suite struct SnapshotTests {
    static let autoClose = Millis.days(3)

    /// Sample events plus the kinds only intake and the desk write: presence, intake records,
    /// deliveries, abandonments, held mail, an event of a newer format, and an event for a lost ticket.
    static func events() -> [Event] {
        var out = Sample.events(tickets: 40)
        let t = Sample.id(3), at = Sample.base + Millis.days(1)
        out.append(Event(ticket: .desk, at: at, actor: "anna", kind: .presence(agent: "anna", .away)))
        out.append(Event(ticket: t, at: at + 1, actor: "system", kind: .intake(IntakeRecord(
            key: "mail:<a@x>", kind: .mail, summary: "", body: "", aliases: ["<a@x>", "<b@x>"]))))
        out.append(Event(ticket: t, at: at + 2, actor: "anna", kind: .agentReply(body: "to you")))
        out.append(Event(ticket: t, at: at + 2, actor: "anna", kind: .delivery(messageID: "<r1@desk>", .queued(to: "e3@example.com"))))
        out.append(Event(ticket: t, at: at + 3, actor: "system", kind: .delivery(messageID: "<r1@desk>", .handing)))
        out.append(Event(ticket: t, at: at + 4, actor: "system", kind: .delivery(messageID: "<r1@desk>", .failed("451 try later"))))
        out.append(Event(ticket: .desk, at: at + 5, actor: "system", kind: .intake(IntakeRecord(
            key: "mail:<ooo@x>", kind: .autoReply, summary: "Out of office", body: "back Monday", aliases: []))))
        out.append(Event(ticket: Sample.id(7), at: at + 6, actor: "customer", kind: .abandoned(reason: "hung up")))
        // Strangers' mail waiting on a ticket (one of them accepted): the snapshot keeps who wrote it.
        for (n, key) in ["mail:<s1@evil>", "mail:<s2@evil>"].enumerated() {
            out.append(Event(ticket: Sample.id(5), at: at + 6, actor: "system", kind: .intake(IntakeRecord(
                key: key, kind: .stranger, summary: "⚠ from M", body: "text \(n)", sender: "Mallory <m@evil.example>"))))
        }
        out.append(Event(ticket: Sample.id(5), at: at + 6, actor: "anna", kind: .intake(IntakeRecord(key: "accepted:mail:<s1@evil>", kind: .accepted, summary: "accepted"))))
        out.append(Event(ticket: Sample.id(5), at: at + 6, actor: "from:Mallory <m@evil.example>", kind: .customerMessage(body: "text 0")))
        out.append(Event(ticket: Sample.id(8), at: at + 7, actor: "x", kind: .unknown(type: 99, payload: [1, 2, 3])))
        out.append(Event(ticket: Sample.id(9999), at: at + 8, actor: "y", kind: .note(body: "ticket lost to a repair")))
        // Self-service for the deflection ratio (one line delivered twice: kept once).
        for (n, who) in ["Ilze@Inbox.lv", "v-77", "Ilze@Inbox.lv", "v-77"].enumerated() {
            out.append(Event(ticket: .desk, at: at + 9, actor: "system", kind: .selfService(SelfServiceRecord(
                key: "ss:\(min(n, 2))", user: who, kind: n % 2 == 0 ? .article : .bot, subject: "FAQ \(n)"))))
        }
        // Issue 15: files, a Cc list, a reply queued to it, contact edits and a customer card changed with them.
        let pdf = AttachmentRef(name: "rēķins.pdf", type: "application/pdf", size: 34_000, digest: String(repeating: "ab", count: 32))
        out.append(Event(ticket: t, at: at + 10, actor: "customer", kind: .ccChanged(["boss@example.org"])))
        out.append(Event(ticket: t, at: at + 10, actor: "customer", kind: .attached([pdf, AttachmentRef(name: "big.iso", type: "x/y", size: 30_000_000, digest: nil)])))
        out.append(Event(ticket: t, at: at + 11, actor: "anna", kind: .agentReply(body: "with a file")))
        out.append(Event(ticket: t, at: at + 11, actor: "anna", kind: .attached([pdf])))
        out.append(Event(ticket: t, at: at + 11, actor: "anna", kind: .delivery(messageID: "<r2@desk>", .queued(to: "e3@example.com", cc: ["boss@example.org"]))))
        out.append(Event(ticket: .desk, at: at + 12, actor: "anna", kind: .contactEdited(ContactEdit(
            key: "e3@example.com", card: ContactCard(name: "Ελένη", emails: ["e3@example.com"], phones: ["+371 2000 0003"], groups: ["vip"])))))
        out.append(Event(ticket: .desk, at: at + 12, actor: "anna", kind: .contactEdited(ContactEdit(
            key: "e3@example.com", card: ContactCard(name: "Ελένη", emails: ["e3@example.com", "e5@example.com"], groups: ["vip"]), merged: ["e5@example.com"]))))
        out.append(Event(ticket: t, at: at + 12, actor: "anna", kind: .customerUpdated(Customer(name: "Ελένη", email: "e3@example.com", phone: "+371 2000 0003", groups: ["vip"]))))
        return out
    }

    static func replay(_ path: String, writable: Bool = false) throws -> DeskState {
        let j = try FileJournal(path: path, writable: writable)
        var s = DeskState(autoCloseAfter: autoClose)
        try j.readNew { s.apply($0) }
        return s
    }

    /// A journal of `events` with a snapshot taken after the first `at` of them (by a process that
    /// replayed them, as the CLI does); returns the snapshot's path.
    @discardableResult
    static func journal(_ events: [Event], snapshotAfter at: Int, path: String) throws -> String {
        try Sample.write(Array(events.prefix(at)), to: path)
        let j = try FileJournal(path: path, writable: false)
        var s = DeskState(autoCloseAfter: autoClose)
        try j.readNew { s.apply($0) }
        let written = try SnapshotFile.write(s, position: j.position!, journal: path, now: Sample.base)
        let w = try FileJournal(path: path)
        for e in events.dropFirst(at) { try w.append([e], expecting: [:]) }
        return written.path
    }

    static func load(_ path: String, writable: Bool = false, autoClose: Millis = autoClose) throws -> (FileJournal, DeskLoad) {
        let j = try FileJournal(path: path, writable: writable)
        return (j, try DeskLoader.load(j, autoCloseAfter: autoClose))
    }

    @Test func encodingRoundTripsEveryPrefix() throws {
        let dir = TempDir()
        let path = dir.file("desk.journal")
        let events = Self.events()
        try Sample.write(events, to: path)
        let j = try FileJournal(path: path, writable: false)
        var s = DeskState(autoCloseAfter: Self.autoClose)
        var n = 0
        try j.readNew { e in
            s.apply(e)
            n += 1
            guard n % 7 == 0 || n == events.count else { return }
            let bytes = SnapshotCodec.encode(s)
            let back = bytes.withUnsafeBytes { raw in Result { () throws(DecodeFailure) in try SnapshotCodec.decode(raw) } }
            switch back {
            case .success(let restored): #expect(restored == s, "prefix \(n)")
            case .failure(let f): Issue.record("prefix \(n): \(f)")
            }
        }
        // Sample.id(0) is the desk's own ID: its four events are skipped too.
        #expect(s.skippedEvents == 7)  // and the self-service line delivered twice
        #expect(!s.outgoing.isEmpty && !s.held.isEmpty && !s.presence.isEmpty && s.deskVersion == 12)
        #expect(s.selfService.map(\.user) == ["ilze@inbox.lv", "visitor:v-77", "ilze@inbox.lv"])
        #expect(s.awaiting.map(\.record.key) == ["mail:<s2@evil>"] && s.awaiting.first?.record.sender == "Mallory <m@evil.example>")
        let t = try #require(s[Sample.id(3)])
        #expect(t.cc == ["boss@example.org"] && t.attachments.count == 3 && t.customer.groups == ["vip"])
        #expect(s.outgoing["<r2@desk>"]?.cc == ["boss@example.org"] && s.outgoing["<r2@desk>"]?.attachments.count == 1)
        #expect(s.contactCard(for: "e5@example.com")?.name == "Ελένη" && s.contactCard(for: "tel:37120000003") == nil)
    }

    @Test func snapshotAndTailEqualAFullReplay() throws {
        let dir = TempDir()
        let events = Self.events()
        for at in [1, 5, 60, events.count - 1, events.count] {
            let path = dir.file("d\(at).journal")
            let snap = try Self.journal(events, snapshotAfter: at, path: path)
            let (_, load) = try Self.load(path)
            #expect(load.snapshot?.path == snap, "after \(at)")
            #expect(load.replayedEvents == events.count - at)
            #expect(load.passedOver.isEmpty)
            let truth = try Self.replay(path)
            #expect(load.state == truth, "snapshot after \(at) + tail")
        }
    }

    /// A writer resumed from a snapshot numbers versions and refuses stale commands exactly as one
    /// that replayed everything.
    @Test func writerResumedFromASnapshotKeepsVersions() throws {
        let dir = TempDir()
        let events = Self.events()
        let path = dir.file("desk.journal")
        try Self.journal(events, snapshotAfter: events.count, path: path)
        let t = Sample.id(5)
        let (j, load) = try Self.load(path, writable: true)
        #expect(load.snapshot != nil && load.replayedEvents == 0)
        let current = load.state[t]!.version
        #expect(j.version(of: t) == current)
        var refusal: JournalError?
        do {
            try j.append([Event(ticket: t, at: Sample.base, actor: "x", kind: .note(body: "stale"))], expecting: [t: current - 1])
        } catch {
            refusal = error
        }
        guard case .stale(_, _, let actual, let by, _)? = refusal else { Issue.record("not refused: \(String(describing: refusal))"); return }
        #expect(actual == current && by == load.state[t]!.lastActor)
        let stored = try j.append([Event(ticket: t, at: Sample.base, actor: "x", kind: .note(body: "fresh")),
                                   Event(ticket: .desk, at: Sample.base, actor: "x", kind: .presence(agent: "x", .available))],
                                  expecting: [t: current])
        #expect(stored.map(\.version) == [current + 1, load.state.deskVersion + 1])
        #expect(stored[0].seq == load.state.lastSeq + 1)
        // And the file reads back whole from the start.
        let replayed = try Self.replay(path)
        #expect(replayed.lastSeq == stored[1].seq && replayed[t]!.version == current + 1)
    }

    /// A journal restored from a backup and written to again can end a record of the same number at
    /// the same byte: the snapshot of the lost history must be passed over, not folded on (it was
    /// trusted: `show` displayed the old events, `log dump` the new) (issue 13, item 2).
    @Test func aRestoredJournalIsNotFooledBySameLengthRecords() throws {
        let dir = TempDir()
        let path = dir.file("desk.journal")
        let base = Array(Self.events().prefix(50))
        try Sample.write(base, to: path)
        let backup = fileBytes(path)
        let t = Sample.id(5)
        func notes(_ letter: Character) -> [Event] {
            (0..<10).map { i in Event(ticket: t, at: Sample.base + Millis.days(2) + Millis(i), actor: "anna", kind: .note(body: String(repeating: letter, count: 40))) }
        }
        let w = try FileJournal(path: path)
        for e in notes("a") { try w.append([e], expecting: [:]) }
        let lostSize = fileBytes(path).count
        let j = try FileJournal(path: path, writable: false)
        var lost = DeskState(autoCloseAfter: Self.autoClose)
        try j.readNew { lost.apply($0) }
        try SnapshotFile.write(lost, position: j.position!, journal: path, now: Sample.base)
        // Restored from the backup, then the same number of events of the same sizes, other words.
        try Data(backup).write(to: URL(fileURLWithPath: path))
        let w2 = try FileJournal(path: path)
        for e in notes("b") { try w2.append([e], expecting: [:]) }
        #expect(fileBytes(path).count == lostSize)  // record SEQ ends at the same byte
        let (_, load) = try Self.load(path)
        #expect(load.snapshot == nil, "the snapshot of the lost history was used")
        #expect(load.state == (try Self.replay(path)))
        #expect(load.state[t]!.entries.last?.body == String(repeating: "b", count: 40))
    }

    @Test func damagedSnapshotsArePassedOverNeverTrusted() throws {
        let dir = TempDir()
        let events = Self.events()
        let path = dir.file("desk.journal")
        let snap = try Self.journal(events, snapshotAfter: 100, path: path)
        let good = fileBytes(snap)
        let truth = try Self.replay(path)
        var rng = SeededGenerator(seed: 7)
        var cases: [(String, [UInt8])] = [("empty", []), ("header only", Array(good.prefix(SnapshotFile.headerSize)))]
        for cut in stride(from: 1, to: good.count, by: max(1, good.count / 40)) { cases.append(("cut at \(cut)", Array(good.prefix(cut)))) }
        for _ in 0..<60 {
            var b = good
            let at = Int.random(in: 0..<b.count, using: &rng)
            b[at] ^= UInt8.random(in: 1...255, using: &rng)
            cases.append(("byte \(at) changed", b))
        }
        cases.append(("grown", good + [0]))
        for (name, bytes) in cases {
            writeBytes(bytes, snap)
            let (_, load) = try Self.load(path)
            #expect(load.snapshot == nil, "\(name)")
            #expect(load.replayedEvents == events.count, "\(name)")
            #expect(load.state == truth, "\(name)")
            #expect(load.passedOver.count == 1, "\(name)")
        }
    }

    @Test func snapshotsForAnotherJournalBuildOrPeriodArePassedOver() throws {
        let dir = TempDir()
        let events = Self.events()
        let path = dir.file("desk.journal")
        try Self.journal(events, snapshotAfter: 100, path: path)
        // Another auto-close period folds differently.
        let (_, other) = try Self.load(path, autoClose: Millis.days(9))
        let j9 = try FileJournal(path: path, writable: false)
        var nine = DeskState(autoCloseAfter: Millis.days(9))
        try j9.readNew { nine.apply($0) }
        #expect(other.snapshot == nil && other.state == nine)
        if case .mismatch(_, let why)? = other.passedOver.first { #expect(why.contains("auto-close")) } else { Issue.record("\(other.passedOver)") }
        // The same name, a different journal (a repair writes a new file with a new UUID).
        let copy = dir.file("copy.journal")
        try Sample.write(events, to: copy)
        for f in SnapshotFile.list(journal: path) { try FileManager.default.copyItem(atPath: f.path, toPath: copy + ".snapshot-\(f.seq)") }
        let (_, foreign) = try Self.load(copy)
        #expect(foreign.snapshot == nil && foreign.replayedEvents == events.count)
        if case .mismatch(_, let why)? = foreign.passedOver.first { #expect(why.contains("UUID")) } else { Issue.record("\(foreign.passedOver)") }
        // The journal cut back before the snapshot's record (a restore from backup).
        let bytes = fileBytes(path)
        writeBytes(Array(bytes.prefix(Layout.headerSize + 4000)), path)
        let (_, cut) = try Self.load(path)
        #expect(cut.snapshot == nil)
        if case .mismatch(_, let why)? = cut.passedOver.first { #expect(why.contains("no record")) } else { Issue.record("\(cut.passedOver)") }
    }

    @Test func aDamagedNewestFallsBackToTheOneBefore() throws {
        let dir = TempDir()
        let events = Self.events()
        let path = dir.file("desk.journal")
        try Self.journal(events, snapshotAfter: 50, path: path)
        // Three more snapshots; only the newest two are kept.
        for n in [80, 120, 150] {
            let j = try FileJournal(path: path, writable: false)
            var s = DeskState(autoCloseAfter: Self.autoClose)
            try j.readNew { s.apply($0) }
            _ = n
            try SnapshotFile.write(s, position: j.position!, journal: path, now: Sample.base)
            try FileJournal(path: path).append([Event(ticket: Sample.id(2), at: Sample.base, actor: "a", kind: .note(body: "n\(n)"))], expecting: [:])
        }
        let kept = SnapshotFile.list(journal: path)
        #expect(kept.count == 2)
        var newest = fileBytes(kept[0].path)
        newest[newest.count / 2] ^= 0xFF
        writeBytes(newest, kept[0].path)
        let (_, load) = try Self.load(path)
        #expect(load.snapshot?.seq == kept[1].seq)
        #expect(load.passedOver.count == 1)
        let truth = try Self.replay(path)
        #expect(load.state == truth)
    }

    @Test func snapshotFilesAreGroupReadableOnlyAndTempFilesAreSwept() throws {
        let dir = TempDir()
        let path = dir.file("desk.journal")
        let stale = dir.file("desk.journal.snapshot-tmp-1-2")
        writeBytes([1, 2, 3], stale)
        var old = utimbuf(actime: 0, modtime: 0)
        _ = utime(stale, &old)
        let snap = try Self.journal(Self.events(), snapshotAfter: 30, path: path)
        let mode = (try FileManager.default.attributesOfItem(atPath: snap)[.posixPermissions] as! NSNumber).intValue
        #expect(mode == 0o660)
        #expect(!FileManager.default.fileExists(atPath: stale))
    }

    @Test func keeperWritesInTheBackgroundEveryNEvents() throws {
        let dir = TempDir()
        let path = dir.file("desk.journal")
        let events = Self.events()
        try Sample.write(Array(events.prefix(100)), to: path)
        let j = try FileJournal(path: path)
        let keeper = SnapshotKeeper(journal: j, every: 40, coveredSeq: 0)
        var s = DeskState(autoCloseAfter: Self.autoClose)
        s.apply(try j.readNew())
        keeper.consider(s)
        SnapshotKeeper.waitForAll()
        #expect(SnapshotFile.list(journal: path).map(\.seq) == [100])
        // 39 more: not yet due; one more: due.
        for e in events[100..<139] { try j.append([e], expecting: [:]) }
        s.apply(try j.readNew())
        keeper.consider(s)
        SnapshotKeeper.waitForAll()
        #expect(SnapshotFile.list(journal: path).map(\.seq) == [100])
        try j.append([events[139]], expecting: [:])
        s.apply(try j.readNew())
        keeper.consider(s)
        SnapshotKeeper.waitForAll()
        #expect(SnapshotFile.list(journal: path).map(\.seq) == [140, 100])
        let (_, load) = try Self.load(path)
        #expect(load.snapshot?.seq == 140 && load.state == s)
    }
}
