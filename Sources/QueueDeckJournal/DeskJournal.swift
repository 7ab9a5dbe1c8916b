import QueueDeckDomain

/// A journal a whole desk is kept in, whatever holds it: the events (`EventJournal`) and what the
/// command line, the console, the wall and intake need around them. Every program holds one of
/// these and never asks which backend it is; `JournalLocation.open` is the one place that knows.
/// docs/ARCHITECTURE.md says what a new backend must give.
public protocol DeskJournal: EventJournal {
    /// How messages name it: the file's path, or the database's address.
    var name: String { get }
    /// The journal's identity (16 bytes), kept by a copy: what snapshots and positions are bound to.
    var uuid: [UInt8] { get }
    /// Marked as a demo desk when created: its customers are invented, nothing is ever mailed.
    var isDemo: Bool { get }
    /// When the desk began (intake refuses chat times long before it).
    var created: Instant? { get }
    /// How long appends and intake wait for a busy journal before giving up.
    var lockTimeoutSeconds: Double { get set }

    /// Events stored since the last read, one at a time (a million are never all in memory).
    func readNew(_ each: (StoredEvent) -> Void) throws(JournalError)
    /// Where the events handed out so far end: another open of the same journal resumes there.
    /// Nil while some appended events are not yet handed out.
    var position: JournalPosition? { get }
    /// Starts reading after `position`, where `state` was folded (by a snapshot or another open);
    /// false leaves the journal to be read from the start.
    func resume(at position: JournalPosition, state: DeskState) -> Bool
    /// The desk as stored: from the newest usable snapshot and what came after it, or by replaying
    /// everything; a snapshot that does not fit is passed over (and listed), never trusted.
    func loadDesk(autoCloseAfter: Millis, useSnapshots: Bool) throws(JournalError) -> DeskLoad
    /// Keeps snapshots as events accumulate (nil: this backend keeps none).
    func snapshotKeeper(every: Int, coveredSeq: UInt64) -> (any SnapshotKeeping)?

    /// Runs `body` as the only intake process of the desk (mail deliveries, importers, followers),
    /// so that a duplicate delivery racing the first is seen as a duplicate.
    func withIntakeLock<T>(timeoutSeconds: Double, _ body: () throws(JournalError) -> T) throws(JournalError) -> T
    /// Marks this process as handing replies to the mail system until the lease is released
    /// (its sendmail keeps the mark while it runs), so that no other process retries them meanwhile.
    func holdOutbox() throws(JournalError) -> JournalLease
    /// Makes this process the desk's one automation runner (`qdeck automate`) while the lease is
    /// held; nil when another process holds it.
    func tryHoldAutomation() throws(JournalError) -> JournalLease?
    /// Whether some process holds an outbox lease right now.
    var handOverRunning: Bool { get }
    /// Wakes a reader when events arrive (the console's and the wall's loops poll its descriptor).
    func follower() -> any JournalFollower
    /// The files attached to messages and replies, stored once each by content.
    var blobs: any BlobStore { get }
    /// Who the journal itself knows this process as, when it proves identity (PostgreSQL: the
    /// login, which the database stores as the actor, and its roster entry and group); nil where
    /// the operating system user is the identity (the file).
    var databaseIdentity: DatabaseIdentity? { get }
}

/// A login as a database journal knows it: who, the desk role its roster gives it, and the group
/// that caps what the database lets it write.
public struct DatabaseIdentity: Equatable, Sendable {
    public enum Group: String, Sendable, CaseIterable {
        case viewer, agent, supervisor, admin, intake, none

        /// The group a desk role belongs in: the built-in ones by name, a custom one by what it may do.
        public init(for role: Role) {
            let p = role.permissions
            self = p.contains(.repairLog) ? .admin
                : p.contains(.reassignAny) || p.contains(.presenceOthers) ? .supervisor
                : p.contains(.reply) ? .agent
                : p.contains(.intake) ? .intake
                : .viewer
        }

        /// The server's role for the group (`qdeck_agent`); nil for none.
        public var roleName: String? { self == .none ? nil : "qdeck_" + rawValue }
    }
    public var login: String
    /// The roster's name and desk role for the login (nil: not on the roster, e.g. a superuser).
    public var name: String?
    public var deskRole: String?
    /// What the desk role may do, as the administrator's team file said when the roster was
    /// synced (permission names; nil when the roster does not say).
    public var permissions: [String]?
    public var group: Group

    public init(login: String, name: String?, deskRole: String?, permissions: [String]? = nil, group: Group) {
        self.login = login
        self.name = name
        self.deskRole = deskRole
        self.permissions = permissions
        self.group = group
    }

    /// The most the group allows: a desk role is never granted more than this, whatever a team
    /// file says the role may do (an agent's own team file cannot make them administrator).
    public var cap: Role {
        switch group {
        case .viewer, .none: .viewer
        case .agent: .agent
        case .supervisor: .supervisor
        case .admin: .administrator
        case .intake: .intake
        }
    }

    /// The role the desk acts on for this login: the roster's desk role with the permissions the
    /// roster recorded for it (else as `lookup` defines it, else the group's own), cut down to what
    /// the group allows. A team file on the agent's host never adds to it.
    public func role(definedBy lookup: (String) -> Role?) -> Role {
        let named = deskRole.flatMap(lookup) ?? cap
        let granted = permissions.map { Set($0.compactMap(Permission.init(rawValue:))) } ?? named.permissions
        return Role(name: deskRole ?? named.name, permissions: granted.intersection(cap.permissions))
    }
}

/// A process's hold on one of the desk's roles (handing replies over, running automation);
/// released when dropped.
public final class JournalLease {
    /// A descriptor the mail program inherits, so the mark outlives us while it runs (nil: none).
    public let inheritable: Int32?
    private let release: () -> Void

    public init(inheritable: Int32?, release: @escaping () -> Void) {
        self.inheritable = inheritable
        self.release = release
    }

    deinit { release() }
}

/// Wakes a reader when the journal changed: a descriptor for a caller's own poll() set, and a wait.
/// Wake-ups are hints: the reader then reads from its own place with `readNew()`.
public protocol JournalFollower: AnyObject {
    /// Readable when something changed (-1: none; the caller polls on a timeout instead).
    var fileDescriptor: Int32 { get }
    /// Waits until something changes or `timeoutMillis` passes (nil: the backend's fallback poll).
    /// True when woken by a change.
    @discardableResult func wait(timeoutMillis: Int32?) -> Bool
    /// Empties the wake-ups already queued.
    func drain()
}
