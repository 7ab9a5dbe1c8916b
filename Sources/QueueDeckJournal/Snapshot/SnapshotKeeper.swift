import Dispatch
import QueueDeckDomain

/// Writes snapshots of a desk as events are folded: the owner calls `consider` after folding.
public protocol SnapshotKeeping: AnyObject {
    func consider(_ state: DeskState)
    /// Told about a snapshot that could not be written (a full disk): never fatal.
    var onFailure: (@Sendable (SnapshotError) -> Void)? { get set }
}

/// A journal's snapshot files: writes one in the background whenever enough events have been folded since the last
/// one. The owner of the journal calls `consider` on its own thread after folding; encoding and
/// writing happen on another, with a copy of the desk (copy-on-write: cheap).
public final class SnapshotKeeper: SnapshotKeeping, @unchecked Sendable {
    public let journal: any SnapshotSite
    /// Events between snapshots; 0 never writes.
    public let every: Int
    private var coveredSeq: UInt64
    /// Every keeper's writes: a process waits for them all before it exits.
    private static let group = DispatchGroup()
    private let guardLock = DispatchSemaphore(value: 1)
    private var busy = false
    /// Told about a snapshot that could not be written (a full disk): never fatal.
    public var onFailure: (@Sendable (SnapshotError) -> Void)?
    public var onWritten: (@Sendable (String, Int) -> Void)?

    public init(journal: any SnapshotSite, every: Int, coveredSeq: UInt64) {
        self.journal = journal
        self.every = every
        self.coveredSeq = coveredSeq
    }

    /// Starts a background write if `state` (folded up to everything this journal has handed out)
    /// is `every` events past the last snapshot and none is being written.
    public func consider(_ state: DeskState) {
        guard every > 0, state.lastSeq >= coveredSeq + UInt64(every),
              let position = journal.position, position.seq == state.lastSeq else { return }
        guardLock.wait()
        defer { guardLock.signal() }
        guard !busy else { return }
        busy = true
        coveredSeq = position.seq
        let path = journal.snapshotBase
        DispatchQueue.global(qos: .utility).async(group: Self.group) { [self] in
            do throws(SnapshotError) {
                let written = try SnapshotFile.write(state, position: position, journal: path, now: Instant(ms: WallClock.nowMillis))
                onWritten?(written.path, written.bytes)
            } catch {
                onFailure?(error)
            }
            guardLock.wait()
            busy = false
            guardLock.signal()
        }
    }

    /// Waits for writes in progress (a command finishing, the console quitting).
    public static func waitForAll() { group.wait() }
}
