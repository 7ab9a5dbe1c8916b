import Foundation
import Testing
import QueueDeckDomain
@testable import QueueDeckJournal
import QueueDeckBackends
import QueueDeckPostgres

extension JournalLocation.Kind {
    /// A fresh place for a journal of this kind for one test, with nothing in it yet (agents anna
    /// and bob may write; a PostgreSQL one connects as anna). Exhaustive: a new backend does not
    /// compile until the contract below runs against it. Nil when this machine cannot run it
    /// (PostgreSQL needs root, as CI has).
    func fresh(in dir: TempDir) throws -> JournalLocation? {
        switch self {
        case .file: return .file(path: dir.file("desk.journal"))
        case .postgres:
            guard let cluster = TestCluster.shared else { return nil }
            let db = try cluster.freshDatabase()
            return .postgres(address: cluster.address(database: db, user: "anna"), companion: dir.file("desk.journal"))
        }
    }
}

extension JournalLocation.Kind {
    /// A place of this kind holding no journal at all: no file; a database without qdeck's schema.
    func missing(in dir: TempDir) throws -> JournalLocation? {
        switch self {
        case .file: return .file(path: dir.file("absent.journal"))
        case .postgres:
            guard let cluster = TestCluster.shared else { return nil }
            let db = try cluster.bareDatabase()
            return .postgres(address: cluster.address(database: db, user: "postgres"), companion: dir.file("absent.journal"))
        }
    }
}

extension JournalLocation {
    /// The same journal opened as another agent: the file journal takes the actor from the event,
    /// the database from the login.
    func `as`(_ user: String) -> JournalLocation {
        switch self {
        case .file: self
        case .postgres(let address, let companion): .postgres(address: address.as(user), companion: companion)
        }
    }
}

/// What every journal backend promises the desk (docs/ARCHITECTURE.md, "a journal backend"): the
/// console, the wall, the command line and intake hold `any DeskJournal` and rely on each of these.
@Suite struct DeskJournalContractTests {
    static let t = Sample.id(1)
    static func created(_ at: Instant = Sample.base) -> Event {
        Event(ticket: t, at: at, actor: "customer", kind: .created(TicketOpening(channel: .email, customer: Customer(name: "C"), subject: "s")))
    }
    static func reply(_ n: Int, by actor: String = "anna") -> Event {
        Event(ticket: t, at: Sample.base + Millis(n * 1000), actor: actor, kind: .agentReply(body: "reply \(n)"))
    }

    @Test(arguments: JournalLocation.Kind.allCases)
    func everyOpenSeesEveryAppendInOrderWithGaplessSequence(kind: JournalLocation.Kind) throws {
        let dir = TempDir()
        guard let at = try kind.fresh(in: dir) else { return }
        let a = try at.open(create: true), b = try at.as("bob").open()
        let stored = try a.append([Self.created(), Self.reply(1)], expecting: [Self.t: 0])
        #expect(stored.map(\.seq) == [1, 2] && stored.map(\.version) == [1, 2])
        try b.append([Self.reply(2, by: "bob")], expecting: [Self.t: 2])
        #expect(try a.readNew().map(\.seq) == [1, 2, 3])  // its own appends too, in order
        #expect(try b.readNew().map(\.event) == [Self.created(), Self.reply(1), Self.reply(2, by: "bob")])
        #expect(a.version(of: Self.t) == 3 && b.version(of: Self.t) == 3)
        #expect(try a.readNew().isEmpty)
    }

    @Test(arguments: JournalLocation.Kind.allCases)
    func eventsOutliveEveryHandleAndAReadOnlyOpenNeverWrites(kind: JournalLocation.Kind) throws {
        let dir = TempDir()
        guard let at = try kind.fresh(in: dir) else { return }
        let absent = try #require(try kind.missing(in: dir))
        let missing = #expect(throws: JournalError.self) { try absent.open(writable: false) }
        guard case .missing = try #require(missing) else { Issue.record("a journal not created yet is missing: \(String(describing: missing))"); return }
        let before = Instant(ms: WallClock.nowMillis)
        do {
            let a = try at.open(create: true)
            try a.append([Self.created()], expecting: [:])
            let made = try #require(a.created)
            #expect(made >= before - 1000 && made <= Instant(ms: WallClock.nowMillis) + 1000, "created \(made), not now")
        }
        // Every handle is gone: the events are stored, not kept by an object.
        let reader = try at.open(writable: false)
        #expect(throws: JournalError.self) { try reader.append([Self.reply(1)], expecting: [:]) }
        #expect(try reader.readNew().count == 1)
        #expect(try at.open().readNew().count == 1, "the refused append stored nothing")
    }

    @Test(arguments: JournalLocation.Kind.allCases)
    func aStaleAppendIsRefusedNamingWhoChangedTheTicketAndStoresNothing(kind: JournalLocation.Kind) throws {
        let dir = TempDir()
        guard let at = try kind.fresh(in: dir) else { return }
        let a = try at.open(create: true), b = try at.as("bob").open()
        try a.append([Self.created()], expecting: [Self.t: 0])
        _ = try b.readNew()
        try a.append([Self.reply(5)], expecting: [Self.t: 1])
        let e = #expect(throws: JournalError.self) { try b.append([Self.reply(6, by: "bob")], expecting: [Self.t: 1]) }
        guard case .stale(let ticket, let expected, let actual, let by, let when) = try #require(e) else { Issue.record("\(String(describing: e))"); return }
        #expect(ticket == Self.t && expected == 1 && actual == 2 && by == "anna" && when == Sample.base + 5000)
        #expect(throws: JournalError.self) { try b.append([Self.created()], expecting: [Self.t: 0]) }  // created twice
        #expect(try at.open(writable: false).readNew().count == 2)
    }

    @Test(arguments: JournalLocation.Kind.allCases)
    func anotherOpenResumesAtAPositionAndStillChecksVersions(kind: JournalLocation.Kind) throws {
        let dir = TempDir()
        guard let at = try kind.fresh(in: dir) else { return }
        let a = try at.open(create: true)
        try a.append([Self.created(), Self.reply(1)], expecting: [Self.t: 0])
        var state = DeskState(autoCloseAfter: .days(7))
        state.apply(try a.readNew())
        let position = try #require(a.position)
        try a.append([Self.reply(2)], expecting: [Self.t: 2])

        let c = try at.open()
        #expect(c.resume(at: position, state: state))
        #expect(try c.readNew().map(\.seq) == [3])  // only what came after the position
        #expect(throws: JournalError.self) { try c.append([Self.reply(3)], expecting: [Self.t: 2]) }
        try c.append([Self.reply(3)], expecting: [Self.t: 3])

        // A position from another journal is not resumed at: that open reads from the start.
        let otherDir = TempDir()
        guard let otherAt = try kind.fresh(in: otherDir) else { return }
        let other = try otherAt.open(create: true)
        try other.append([Self.created()], expecting: [:])
        _ = try other.readNew()
        let d = try at.open()
        #expect(!d.resume(at: try #require(other.position), state: DeskState(autoCloseAfter: .days(7))))
        #expect(try d.readNew().count == 4)
    }

    @Test(arguments: JournalLocation.Kind.allCases)
    func aLoadedDeskIsTheFoldOfEveryEventWithOrWithoutSnapshots(kind: JournalLocation.Kind) throws {
        let dir = TempDir()
        guard let at = try kind.fresh(in: dir) else { return }
        let a = try at.open(create: true)
        let events = Sample.events(tickets: 30)
        for e in events { try a.append([e], expecting: [:]) }
        var folded = DeskState(autoCloseAfter: .days(7))
        folded.apply(try a.readNew())
        let keeper = a.snapshotKeeper(every: 1, coveredSeq: 0)
        keeper?.consider(folded)
        SnapshotKeeper.waitForAll()
        for useSnapshots in [true, false] {
            let load = try at.open(writable: false).loadDesk(autoCloseAfter: .days(7), useSnapshots: useSnapshots)
            #expect(load.state == folded, "useSnapshots: \(useSnapshots)")
            #expect(load.passedOver.isEmpty)
            // A backend that keeps snapshots starts from one: nothing to replay.
            if useSnapshots && keeper != nil { #expect(load.snapshot != nil && load.replayedEvents == 0) }
            if !useSnapshots { #expect(load.replayedEvents == events.count) }
        }
    }

    @Test(arguments: JournalLocation.Kind.allCases)
    func oneIntakeProcessAtATime(kind: JournalLocation.Kind) throws {
        let dir = TempDir()
        guard let at = try kind.fresh(in: dir) else { return }
        nonisolated(unsafe) let a = try at.open(create: true)
        let b = try at.open()
        let holding = DispatchSemaphore(value: 0), done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            _ = try? a.withIntakeLock(timeoutSeconds: 5) { () throws(JournalError) in
                holding.signal()
                done.wait()
            }
        }
        holding.wait()
        #expect(throws: JournalError.self) { try b.withIntakeLock(timeoutSeconds: 0.3) {} }
        done.signal()
        var ran = false
        try b.withIntakeLock(timeoutSeconds: 5) { ran = true }
        #expect(ran)
    }

    @Test(arguments: JournalLocation.Kind.allCases)
    func anJournalLeaseShowsAHandOverRunningUntilReleased(kind: JournalLocation.Kind) throws {
        let dir = TempDir()
        guard let at = try kind.fresh(in: dir) else { return }
        let a = try at.open(create: true), b = try at.open()
        #expect(!b.handOverRunning)
        var lease: JournalLease? = try a.holdOutbox()
        #expect(b.handOverRunning)
        var second: JournalLease? = try b.holdOutbox()  // several processes may hand over at once
        lease = nil
        #expect(lease == nil && second != nil && b.handOverRunning)
        second = nil
        #expect(second == nil && !b.handOverRunning)
    }

    @Test(arguments: JournalLocation.Kind.allCases)
    func aFollowerWakesWhenAnotherOpenAppends(kind: JournalLocation.Kind) throws {
        let dir = TempDir()
        guard let at = try kind.fresh(in: dir) else { return }
        let a = try at.open(create: true), b = try at.open()
        let follower = b.follower()
        follower.drain()
        try a.append([Self.created()], expecting: [:])
        // Woken by the change; a follower without a descriptor (the caller polls) at least returns.
        let woken = follower.wait(timeoutMillis: 10_000)
        #expect(woken || follower.fileDescriptor < 0)
        #expect(try b.readNew().count == 1)
    }

    @Test(arguments: JournalLocation.Kind.allCases)
    func aDemoDeskStaysMarkedForEveryOpen(kind: JournalLocation.Kind) throws {
        let dirs = (TempDir(), TempDir())
        guard let demo = try kind.fresh(in: dirs.0), let real = try kind.fresh(in: dirs.1) else { return }
        let d = try demo.open(create: true, demo: true), r = try real.open(create: true)
        #expect(d.isDemo && !r.isDemo)
        #expect(try demo.open(writable: false).isDemo && !(try real.open(writable: false).isDemo))
        #expect(d.created != nil)
    }

    /// Attachments: stored once by content, read back whole by every open, and a damaged or
    /// missing one told apart from a sound one (what `log verify` and the outbox rely on).
    @Test(arguments: JournalLocation.Kind.allCases)
    func filesAreStoredOnceByContentAndCheckedWhenRead(kind: JournalLocation.Kind) throws {
        let dir = TempDir()
        guard let at = try kind.fresh(in: dir) else { return }
        let a = try at.open(create: true), b = try at.open(writable: false)
        let bytes = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let digest = try a.blobs.put(bytes)
        #expect(digest == BlobDigest(of: bytes) && digest.hex.count == 64)
        #expect(try a.blobs.put(bytes) == digest, "the same bytes again: the same name")
        #expect(try b.blobs.get(digest) == bytes, "another open reads it")
        #expect(b.blobs.check(digest) == .intact)
        #expect(try a.blobs.get(a.blobs.put([])) == [], "an empty file is a file")
        // An import's many files: stored now, made durable together before the journal names them.
        let later = try a.blobs.put(Array("batch".utf8), deferSync: true)
        try a.blobs.syncDeferred()
        #expect(try b.blobs.get(later) == Array("batch".utf8))
        let unknown = BlobDigest(of: Array("never stored".utf8))
        #expect(b.blobs.check(unknown) == .missing)
        #expect(throws: JournalError.self) { try b.blobs.get(unknown) }
        #expect(BlobDigest(hex: "../../etc/passwd") == nil && BlobDigest(hex: String(repeating: "A", count: 64)) == nil)
    }

    @Test func anAddressOfABackendThisBuildLacksIsRefusedWithoutRepeatingIt() throws {
        func location(_ text: String) throws(JournalLocationError) -> JournalLocation {
            try JournalLocation(text, environment: [:], user: "anna", localFolder: "/home/anna/.local/share/qdeck", home: "/nonexistent")
        }
        #expect(throws: JournalLocationError.unsupported(text: "mysql://anna:s3cret@db/desk", scheme: "mysql", known: ["a file path", "postgresql://…"])) {
            try location("mysql://anna:s3cret@db/desk")
        }
        let e = JournalLocationError.unsupported(text: "mysql://anna:s3cret@db/desk", scheme: "mysql", known: ["a file path", "postgresql://…"])
        #expect(!e.description.contains("s3cret"))
        #expect(try location("/srv/desk/desk.journal") == .file(path: "/srv/desk/desk.journal"))
        #expect(try location("./a:b/desk.journal") == .file(path: "./a:b/desk.journal"))
        let pg = try location("postgresql://anna:s3cret@db.example:5433/desk")
        #expect(pg.kind == .postgres && !pg.name.contains("s3cret"))
        #expect(pg.companionPath == "/home/anna/.local/share/qdeck/postgresql-desk-db.example-5433.journal")
        #expect(throws: JournalLocationError.self) { try location("postgresql://db/desk?sslmode=maybe") }
    }
}
