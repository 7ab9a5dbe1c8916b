import QueueDeckDomain
import QueueDeckJournal
import QueueDeckPostgres
#if canImport(Glibc)
import Glibc
#endif

/// Where a desk's journal is, as `--journal`, `QDECK_JOURNAL` or the team file names it. The one
/// switch over backends: a new backend is a case here, and the compiler finds every place that
/// must learn it (docs/ARCHITECTURE.md).
public enum JournalLocation: Equatable, Sendable {
    /// The embedded default: one append-only file on this host.
    case file(path: String)
    /// A PostgreSQL database shared by many hosts (docs/POSTGRES.md); `companion` is the local
    /// file name this host keeps its own things under (a queue_log read position, the team file
    /// beside it).
    case postgres(address: PostgresAddress, companion: String)

    /// Reads a location: a path, or an address with a scheme this build keeps journals in.
    /// `environment` and `user` fill what a PostgreSQL address leaves out, as libpq does;
    /// `localFolder` is where this host keeps a database journal's companion files.
    /// `home`: where `~/.pgpass` is looked for; `warning` is told of one that others may read.
    public init(_ text: String, environment: [String: String], user: String, localFolder: String, home: String,
                warning: (String) -> Void = { _ in }) throws(JournalLocationError) {
        if PostgresAddress.isAddress(text) {
            var address: PostgresAddress
            do { address = try PostgresAddress(text, environment: environment, user: user) } catch {
                throw .invalid(problem: error.description)
            }
            if address.password == nil { address.password = PasswordFile.password(for: address, environment: environment, home: home, warning: warning) }
            self = .postgres(address: address, companion: localFolder + "/" + address.localName)
            return
        }
        if let scheme = Self.scheme(of: text) {
            throw .unsupported(text: text, scheme: scheme, known: Kind.allCases.map(\.form))
        }
        self = .file(path: text)
    }

    /// Where this desk's local companion files are named after: the team file beside the journal
    /// (and whose owner it must have), a queue_log read position. A backend without a file names a
    /// local one here.
    public var companionPath: String {
        switch self {
        case .file(let path): path
        case .postgres(_, let companion): companion
        }
    }

    /// Makes the folder this host keeps the journal's companions in (a queue_log read position):
    /// a file journal's is its own folder, already there; a database's is this user's data folder,
    /// made private (0700) if missing.
    public func prepareCompanionFolder() throws(JournalError) {
        switch self {
        case .file: return
        case .postgres(_, let companion): try Self.makeFolders(FilePath.folder(of: companion), mode: 0o700)
        }
    }

    /// Each missing folder on the way to `dir`, with `mode`; an existing one is never chmodded.
    static func makeFolders(_ dir: String, mode: mode_t) throws(JournalError) {
        guard !dir.isEmpty else { return }
        var made = dir.hasPrefix("/") ? "" : "."
        for part in dir.split(separator: "/") {
            made += "/" + part
            if mkdir(made, mode) != 0, case let e = errno, e != EEXIST {
                throw .refused(path: dir, reason: "cannot create the folder: \(String(cString: strerror(e))) (errno \(e))")
            }
        }
    }

    /// Makes the place the journal will be created in (a new desk): for a file, its folder (0770).
    public func prepare() throws(JournalError) {
        switch self {
        case .file(let path):
            // 0770: the desk's group shares it.
            try Self.makeFolders(FilePath.folder(of: path), mode: 0o770)
        case .postgres:
            // The database and its schema are the database administrator's (`qdeck db init`).
            break
        }
    }

    /// The backends, listed: the journal contract tests run against each one.
    public enum Kind: String, CaseIterable, Sendable {
        case file
        case postgres

        /// How `--journal` names one, for messages.
        public var form: String {
            switch self {
            case .file: "a file path"
            case .postgres: "postgresql://…"
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .file: .file
        case .postgres: .postgres
        }
    }

    /// How messages name it (never with a password).
    public var name: String {
        switch self {
        case .file(let path): path
        case .postgres(let address, _): address.shown
        }
    }

    /// Opens the journal (with `create`, creating it; `demo` marks a journal this open creates).
    public func open(create: Bool = false, writable: Bool = true, demo: Bool = false) throws(JournalError) -> any DeskJournal {
        switch self {
        case .file(let path): try FileJournal(path: path, create: create, writable: writable, demo: demo)
        case .postgres(let address, let companion):
            try PostgresJournal(address: address, create: create, writable: writable, demo: demo, localBase: companion)
        }
    }

    /// `postgresql://…` and the like: letters, digits, `+ - .`, then `://` (a path never needs it).
    static func scheme(of text: String) -> String? {
        guard let r = text.range(of: "://") else { return nil }
        let s = text[..<r.lowerBound]
        guard let first = s.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII,
              s.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0)) })
        else { return nil }
        return String(s)
    }
}

public enum JournalLocationError: Error, Equatable, CustomStringConvertible {
    case unsupported(text: String, scheme: String, known: [String])
    case invalid(problem: String)

    public var description: String {
        switch self {
        case .unsupported(_, let scheme, let known):
            // The address itself is not repeated: it may carry a password.
            "--journal: this qdeck has no '\(scheme)://' journals; a journal is \(known.joined(separator: " or "))"
        case .invalid(let problem): "--journal: \(problem)"
        }
    }
}
