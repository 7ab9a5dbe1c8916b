import Foundation
import QueueDeckDomain
import Testing
@testable import QueueDeckJournal

@Suite struct JournalFormatTests {
    @Test func crc32cKnownAnswers() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([]) == 0)
    }

    /// The instruction path and the table path agree on every length and alignment and on seeds.
    @Test func crc32cInstructionMatchesTheTable() {
        var rng = SeededGenerator(seed: 11)
        let bytes = (0..<4099).map { _ in UInt8.random(in: 0...255, using: &rng) }
        bytes.withUnsafeBytes { all in
            for start in 0..<9 {
                for count in [0, 1, 7, 8, 9, 63, 64, 65, 1000, 4090 - start] {
                    let slice = UnsafeRawBufferPointer(rebasing: all[start..<(start + count)])
                    #expect(CRC32C.checksum(slice) == CRC32C.software(slice), "start \(start) count \(count)")
                    #expect(CRC32C.checksum(slice, seed: 0xDEAD_BEEF) == CRC32C.software(slice, seed: 0xDEAD_BEEF))
                }
            }
        }
    }

    /// A ticket's opening written before it carried its intake queue ends one field earlier: it
    /// still reads as itself, with no queue.
    @Test func anOpeningWrittenBeforeQueuesReadsWithout() {
        let opening = TicketOpening(channel: .email, customer: Customer(name: "Ilze", email: "ilze@inbox.lv"), subject: "Rēķins", body: "b",
                                    department: "billing", linkedFrom: Sample.id(7))
        let e = Event(ticket: Sample.id(1), at: Instant(ms: 5), actor: "customer", kind: .created(opening))
        let old = Array(EventCodec.body(of: e).dropLast())  // the absent queue's one byte
        let back = old.withUnsafeBytes { EventCodec.decode(type: 1, ticket: e.ticket, at: e.at, actor: "customer", body: $0) }
        #expect(back == e)
        var queued = opening
        queued.queue = "support"
        let withQueue = Event(ticket: e.ticket, at: e.at, actor: "customer", kind: .created(queued))
        let bytes = EventCodec.body(of: withQueue)
        #expect(bytes.withUnsafeBytes { EventCodec.decode(type: 1, ticket: e.ticket, at: e.at, actor: "customer", body: $0) } == withQueue)
    }

    @Test func everyEventKindRoundTrips() throws {
        let dir = TempDir()
        let t = Sample.id(1)
        let every = EventKind.Name.allCases.flatMap { Sample.samples(of: $0, ticket: t) }
        #expect(Set(every.map(\.kind.kindName)) == Set(EventKind.Name.allCases).subtracting([.unknown]))
        let events = Sample.events(tickets: 12) + every
        try Sample.write(events, to: dir.file("j"))
        let back = try FileJournal(path: dir.file("j"), writable: false).readNew()
        for (b, e) in zip(back.map(\.event), events) where b != e { Issue.record("\(e.kind.name) read back as \(b.kind)") }
        #expect(back.count == events.count)
        #expect(back.map(\.seq) == Array(1...UInt64(events.count)))
        // Versions count per ticket.
        // (Sample.id(0) is TicketID.desk, which the presence, self-service and contact events also count on.)
        #expect(back.filter { $0.event.ticket == Sample.id(0) && !["presence", "self-service", "contact"].contains($0.event.kind.name) }.map(\.version) == [1, 2, 3, 4])
        #expect(!back.contains { $0.event.kind.kindName == .unknown }, "every kind decodes as itself")
    }

    /// The reader works in 4 MB chunks: a record larger than a chunk, records across chunk
    /// boundaries, and a torn tail after several chunks all read as in one piece.
    @Test func recordsLargerThanAChunkAndTornTailsAcrossChunks() throws {
        let dir = TempDir()
        let path = dir.file("big")
        let t = Sample.id(3)
        let big = String(repeating: "ķ", count: 3_000_000)  // 6 MB of UTF-8
        var events = Sample.events(tickets: 4)
        events.append(Event(ticket: t, at: Sample.base, actor: "anna", kind: .note(body: big)))
        for i in 0..<3000 { events.append(Event(ticket: t, at: Sample.base, actor: "anna", kind: .note(body: "n\(i) " + String(repeating: "x", count: 1500)))) }
        try Sample.write(events, to: path)
        let back = try FileJournal(path: path, writable: false).readNew()
        #expect(back.count == events.count)
        #expect(back.map(\.event) == events)
        // Cut the last record in half: a reader stops before it; a writer moves it aside.
        var bytes = fileBytes(path)
        bytes.removeLast(700)
        writeBytes(bytes, path)
        #expect(try FileJournal(path: path, writable: false).readNew().count == events.count - 1)
        let w = try FileJournal(path: path)
        try w.append([Event(ticket: t, at: Sample.base, actor: "anna", kind: .resolved)], expecting: [:])
        let after = try FileJournal(path: path, writable: false).readNew()
        #expect(after.count == events.count && after.last?.event.kind == .resolved)
    }

    @Test func newJournalIsGroupReadableOnly() throws {
        let dir = TempDir()
        let old = umask(0)
        defer { umask(old) }
        _ = try FileJournal(path: dir.file("j"), create: true)
        let mode = (try FileManager.default.attributesOfItem(atPath: dir.file("j"))[.posixPermissions] as! NSNumber).intValue
        #expect(mode == 0o660)
    }

    @Test func notAJournalIsRefused() throws {
        let dir = TempDir()
        writeBytes(Array("hello, this is not a journal at all, but a text file of some length".utf8), dir.file("t"))
        #expect(throws: JournalError.self) { try FileJournal(path: dir.file("t"), writable: true) }
        #expect(throws: JournalError.self) { try FileJournal(path: dir.file("missing"), writable: false) }
    }

    @Test func networkFileSystemsAreRecognised() {
        let mounts = """
        /dev/vda / ext4 rw 0 0
        server:/export /srv/desk nfs4 rw 0 0
        //nas/share /mnt/my\\040share cifs rw 0 0
        tmpfs /srv/desk/local tmpfs rw 0 0
        """
        #expect(Sys.networkFileSystem(at: "/srv/desk", mounts: mounts) == "nfs4")
        #expect(Sys.networkFileSystem(at: "/srv/desk/team", mounts: mounts) == "nfs4")
        #expect(Sys.networkFileSystem(at: "/srv/desk/local", mounts: mounts) == nil)
        #expect(Sys.networkFileSystem(at: "/mnt/my share/x", mounts: mounts) == "cifs")
        #expect(Sys.networkFileSystem(at: "/srv/desktop", mounts: mounts) == nil)
    }
}

@Suite struct JournalAppendTests {
    @Test func staleVersionNamesWhoChangedIt() throws {
        let dir = TempDir()
        let path = dir.file("j")
        let a = try FileJournal(path: path, create: true)
        let b = try FileJournal(path: path)
        let t = Sample.id(7)
        try a.append([Event(ticket: t, at: Sample.base, actor: "customer", kind: .created(TicketOpening(channel: .email, customer: Customer(name: "C"), subject: "s")))], expecting: [t: 0])
        _ = try b.readNew()
        #expect(b.version(of: t) == 1)
        try a.append([Event(ticket: t, at: Sample.base + 5000, actor: "anna", kind: .agentReply(body: "first"))], expecting: [t: 1])
        do {
            try b.append([Event(ticket: t, at: Sample.base + 6000, actor: "bob", kind: .agentReply(body: "second"))], expecting: [t: 1])
            Issue.record("a stale append must be refused")
        } catch let e {
            guard case .stale(let ticket, let expected, let actual, let by, let at) = e else { Issue.record("\(e)"); return }
            #expect(ticket == t && expected == 1 && actual == 2 && by == "anna" && at == Sample.base + 5000)
            #expect(e.description.contains("changed by anna"))
        }
        // The refused append stored nothing; b now knows both events.
        let seen = try b.readNew()
        #expect(seen.map(\.seq) == [2])
        #expect(try FileJournal(path: path, writable: false).readNew().count == 2)
        // Creating an existing ticket is refused the same way (expected version 0).
        #expect(throws: JournalError.self) {
            try b.append([Event(ticket: t, at: Sample.base, actor: "x", kind: .note(body: "n"))], expecting: [t: 0])
        }
    }

    @Test func readerSeesOnlyWholeRecordsAndOwnAppends() throws {
        let dir = TempDir()
        let path = dir.file("j")
        let events = Sample.events(tickets: 3)
        let writer = try FileJournal(path: path, create: true)
        let reader = try FileJournal(path: path, writable: false)
        #expect(try reader.readNew().isEmpty)
        try writer.append(Array(events[0..<5]), expecting: [:])
        #expect(try writer.readNew().count == 5)  // own appends are handed out once
        #expect(try writer.readNew().isEmpty)
        #expect(try reader.readNew().map(\.event) == Array(events[0..<5]))
        try writer.append(Array(events[5...]), expecting: [:])
        #expect(try reader.readNew().map(\.event) == Array(events[5...]))
    }
}

@Suite struct JournalRecoveryTests {
    /// Cuts the journal at every byte offset within its last three records: readers get exactly the
    /// whole records before the cut, and the next writer cuts the torn tail (keeping the bytes) and
    /// appends after the last whole record.
    @Test func cutAtEveryByteOfTheLastThreeRecords() throws {
        let dir = TempDir()
        let original = dir.file("orig")
        let events = Sample.events(tickets: 4)
        let ends = try Sample.write(events, to: original)
        let bytes = fileBytes(original)
        let start = Int(ends[ends.count - 4])
        var checked = 0
        for cut in start..<bytes.count {
            let path = dir.file("cut-\(cut)")
            writeBytes(Array(bytes[0..<cut]), path)
            let whole = ends.filter { $0 <= Int64(cut) }.count
            let read = try FileJournal(path: path, writable: false).readNew()
            #expect(read.map(\.event) == Array(events[0..<whole]), "cut at \(cut)")
            let w = try FileJournal(path: path)
            let extra = Event(ticket: Sample.id(99), at: Sample.base, actor: "anna", kind: .note(body: "after the cut"))
            let stored = try w.append([extra], expecting: [:])
            #expect(stored[0].seq == UInt64(whole + 1), "cut at \(cut)")
            let after = try FileJournal(path: path, writable: false).readNew()
            #expect(after.map(\.event) == Array(events[0..<whole]) + [extra], "cut at \(cut)")
            let tornKept = dir.files().contains { $0.hasPrefix("cut-\(cut).torn-") }
            #expect(tornKept == (Int64(cut) != ends[whole - 1]), "cut at \(cut): torn bytes kept beside the log")
            checked += 1
        }
        #expect(checked > 100)
    }

    /// Random ranges overwritten: never accepted. Readers get an unmodified prefix; damage with
    /// valid records after it is reported with its offset and writing is refused.
    @Test func randomCorruptionIsDetected() throws {
        let dir = TempDir()
        let original = dir.file("orig")
        let events = Sample.events(tickets: 10)
        let ends = try Sample.write(events, to: original)
        let bytes = fileBytes(original)
        var rng = SystemRandomNumberGenerator()
        var midFile = 0
        for trial in 0..<300 {
            var b = bytes
            let len = Int.random(in: 1...40, using: &rng)
            let at = Int.random(in: Layout.headerSize..<(b.count - len), using: &rng)
            for i in at..<(at + len) { b[i] ^= UInt8.random(in: 1...255, using: &rng) }
            if trial % 3 == 0 { for i in at..<(at + len) { b[i] = 0 } }
            if b == bytes { continue }
            let path = dir.file("c\(trial)")
            writeBytes(b, path)
            let firstBad = ends.firstIndex { $0 > Int64(at) }!  // the record holding the first changed byte
            do {
                let read = try FileJournal(path: path, writable: false).readNew()
                // Only a torn-looking tail may end the log early: the damage is in the last record(s).
                #expect(read.map(\.event) == Array(events[0..<read.count]))
                #expect(read.count <= firstBad)
                #expect(ends.count - read.count <= 2, "damage at \(at) silently accepted as a torn tail")
            } catch let e {
                guard case .damaged(_, let off, let seq, _, _) = e else { Issue.record("\(e)"); continue }
                midFile += 1
                #expect(Int(seq) == firstBad)
                #expect(off == (firstBad == 0 ? Int64(Layout.headerSize) : ends[firstBad - 1]))
                // A writer refuses too; nothing is written.
                #expect(throws: JournalError.self) {
                    try FileJournal(path: path).append([events[0]], expecting: [:])
                }
                #expect(fileBytes(path) == b)
            }
        }
        #expect(midFile > 100)
    }

    @Test func repairMovesDamageAsideAndKeepsEveryValidRecord() throws {
        let dir = TempDir()
        let path = dir.file("j")
        let events = Sample.events(tickets: 5)
        let ends = try Sample.write(events, to: path)
        var b = fileBytes(path)
        let damagedRecord = 7
        for i in Int(ends[damagedRecord - 1] + 10)..<Int(ends[damagedRecord - 1] + 14) { b[i] ^= 0xFF }
        writeBytes(b, path)
        let reader = try FileJournal(path: path, writable: false)
        let report = try JournalRepair.verify(path: path)
        #expect(report.damage.count == 1)
        #expect(report.damage[0].offset == ends[damagedRecord - 1])
        #expect(report.damage[0].resumesAt == ends[damagedRecord])
        let r = try JournalRepair.repair(path: path)
        #expect(r.kept == events.count - 1)
        #expect(r.movedAside.count == 1)
        #expect(fileBytes(r.movedAside[0].file) == Array(b[Int(ends[damagedRecord - 1])..<Int(ends[damagedRecord])]))
        #expect(fileBytes(r.backup) == b)
        var expected = events
        expected.remove(at: damagedRecord)
        #expect(throws: JournalError.self) { try reader.readNew() }  // an open reader learns it was replaced
        let j = try FileJournal(path: path)
        #expect(try j.readNew().map(\.event) == expected)
        try j.append([events[0]], expecting: [:])
        #expect(try JournalRepair.verify(path: path).isClean)
    }

    /// Issue 13, item 1: one flipped reserved byte in the header must not lock every tool out.
    @Test func aDamagedHeaderIsNamedReadAnywayAndRebuiltByRepair() throws {
        let dir = TempDir()
        let path = dir.file("j")
        let events = Sample.events(tickets: 4)
        _ = try Sample.write(events, to: path)
        var b = fileBytes(path)
        b[40] ^= 0x01  // reserved padding
        writeBytes(b, path)
        #expect {
            _ = try FileJournal(path: path, writable: false)
        } throws: { e in
            guard case JournalError.damagedHeader(_, let reason) = e else { return false }
            return reason.contains("checksum")
        }
        let report = try JournalRepair.verify(path: path)
        #expect(report.records == events.count)
        #expect(report.damage.map(\.offset) == [0])
        var salvaged: [Event] = []
        _ = try JournalRepair.salvage(path: path) { salvaged.append($0.event) }
        #expect(salvaged == events)
        let r = try JournalRepair.repair(path: path)
        #expect(r.kept == events.count)
        #expect(r.movedAside.map(\.offset) == [0])
        #expect(fileBytes(r.movedAside[0].file) == Array(b[0..<Layout.headerSize]))
        #expect(fileBytes(r.backup) == b)
        #expect(try FileJournal(path: path).readNew().map(\.event) == events)
        #expect(try JournalRepair.verify(path: path).isClean)
        // Only the header was rebuilt: the desk keeps its UUID (its snapshots stay good).
        #expect(try FileJournal(path: path, writable: false).uuid == Array(b[12..<28]))
    }

    /// The review: a repaired demo desk lost its mark and mailed its invented customers; a real
    /// desk whose mark byte flipped became a demo and stopped mailing. The mark is kept when it can
    /// be read (even with the magic damaged) and asked for when it cannot, never guessed.
    @Test(arguments: [(true, 44), (true, 0), (false, 44), (true, 36), (false, 36), (true, 37)])
    func aRebuiltHeaderKeepsTheDemoMarkOrAsks(demo: Bool, byte: Int) throws {
        let dir = TempDir()
        let path = dir.file("desk")
        let j = try FileJournal(path: path, create: true, demo: demo)
        try j.append(Sample.events(tickets: 2), expecting: [:])
        var b = fileBytes(path)
        b[byte] ^= 0x01
        writeBytes(b, path)
        if byte == 36 || byte == 37 {
            #expect(throws: JournalError.self) { try JournalRepair.repair(path: path) }
            #expect(fileBytes(path) == b, "nothing written while the mark is unknown")
            _ = try JournalRepair.repair(path: path, demo: demo)
        } else {
            _ = try JournalRepair.repair(path: path)
        }
        #expect(try FileJournal(path: path, writable: false).isDemo == demo)
    }

    /// A file that is no journal at all is still refused by repair: it must never be rewritten.
    @Test func repairRefusesAFileWithNoRecordsBehindItsHeader() throws {
        let dir = TempDir()
        let path = dir.file("j")
        writeBytes(Array(repeating: 0x41, count: 64) + Array("hello, not a journal".utf8), path)
        #expect {
            _ = try JournalRepair.repair(path: path)
        } throws: { e in
            guard case JournalError.notAJournal = e else { return false }
            return true
        }
        #expect(fileBytes(path) == Array(repeating: 0x41, count: 64) + Array("hello, not a journal".utf8))
    }
}
