import Foundation
import Logging
import NIOSSL
import NIOPosix
import NIOCore
import PostgresNIO
import QueueDeckDomain
import QueueDeckJournal

/// One process's connection to the journal's database: made when first needed, made again after
/// the server went away, and every failure told as a `JournalError` naming the database (never its
/// password). Used by one thread at a time, like the journal that holds it.
final class PostgresLink: @unchecked Sendable {
    let address: PostgresAddress
    private var connection: PostgresConnection?
    /// Who the login is at the desk ("wall is in qdeck_viewer"), added to the database's own
    /// "permission denied" so the person learns why.
    var whoIs: String?
    /// While the server is away: no new attempt before this moment (the console's loop must not
    /// wait on a connect at every turn), and the failure to give meanwhile.
    private var retryAfter: Date?
    private var lastFailure: JournalError?
    private var backoff = 0.25
    /// The longest wait between attempts: events appended after the server is back show within it.
    static let maxBackoff = 1.0

    init(_ address: PostgresAddress) {
        self.address = address
    }

    deinit { if let connection { Self.drop(connection) } }

    var name: String { address.shown }

    /// Runs `body` on the connection. A read (`retry`) that finds the connection gone (the server
    /// restarted since) connects again once; a write never does, since its outcome is unknown.
    func run<T: Sendable>(retry: Bool = false, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) throws(JournalError) -> T {
        let c = try current()
        do {
            return try blocking { try await body(c) }
        } catch {
            let mapped = Self.journalError(error, name: name)
            if case .denied(let n, let reason) = mapped, reason.hasPrefix("permission denied"), let whoIs {
                throw .denied(name: n, reason: "\(reason) (\(whoIs))")
            }
            guard case .unreachable = mapped else { throw mapped }
            connection = nil
            Self.drop(c)
            guard retry else { throw mapped }
            let again = try current()
            do { return try blocking { try await body(again) } } catch { throw Self.journalError(error, name: name) }
        }
    }

    /// Drops the connection (the next use connects again).
    func reset() {
        if let connection { Self.drop(connection) }
        connection = nil
    }

    /// Closes without waiting (the server ends the session either way).
    static func drop(_ c: PostgresConnection) {
        let closing: EventLoopFuture<Void> = c.close()
        // Kept until closed: a connection freed while still open is a client bug (it asserts so).
        closing.whenComplete { _ in withExtendedLifetime(c) {} }
    }

    private func current() throws(JournalError) -> PostgresConnection {
        if let c = connection, !c.isClosed { return c }
        if let retryAfter, let lastFailure, Date() < retryAfter { throw lastFailure }
        let address = self.address
        do {
            let c = try blocking { try await Self.connect(address) }
            connection = c
            retryAfter = nil
            lastFailure = nil
            backoff = 0.25
            return c
        } catch {
            let failure = Self.journalError(error, name: name)
            if case .unreachable = failure {
                lastFailure = failure
                retryAfter = Date().addingTimeInterval(backoff)
                backoff = min(backoff * 2, Self.maxBackoff)
            }
            throw failure
        }
    }

    static let logger = Logger(label: "qdeck.postgres")

    /// Runs a statement to its end. Its rows are read, because a failure raised while a SELECT runs
    /// (a refusal in one of the journal's functions) arrives with the rows, not before them: a
    /// statement whose rows were never read once seemed to succeed, and an import carried on.
    static func execute(_ c: PostgresConnection, _ query: PostgresQuery) async throws {
        for try await _ in try await c.query(query, logger: logger) {}
    }

    /// A new connection as the address says (socket or TCP with libpq's sslmode).
    static func connect(_ a: PostgresAddress) async throws -> PostgresConnection {
        let config: PostgresConnection.Configuration
        switch a.endpoint {
        case .socket(let folder, let port):
            config = .init(unixSocketPath: folder + "/.s.PGSQL.\(port)", username: a.user, password: a.password, database: a.database)
        case .tcp(let host, let port):
            // As libpq reads sslmode: require encrypts without checking the certificate, verify-ca
            // checks it against the trusted roots, verify-full checks the host name too.
            func context(_ check: CertificateVerification) throws -> NIOSSLContext {
                var tlsConfig = TLSConfiguration.makeClientConfiguration()
                tlsConfig.certificateVerification = check
                return try NIOSSLContext(configuration: tlsConfig)
            }
            let tls: PostgresConnection.Configuration.TLS
            switch a.sslMode {
            case .disable, .allow: tls = .disable
            case .prefer: tls = .prefer(try context(.none))
            case .require: tls = .require(try context(.none))
            case .verifyCA: tls = .require(try context(.noHostnameVerification))
            case .verifyFull: tls = .require(try context(.fullVerification))
            }
            config = .init(host: host, port: port, username: a.user, password: a.password, database: a.database, tls: tls)
        }
        var options = config
        // A host that does not answer must not hold a console for the client's default 10 s.
        options.options.connectTimeout = .seconds(3)
        return try await PostgresConnection.connect(configuration: options, id: 1, logger: logger)
    }

    /// What went wrong, as the journal's callers know failures: a version changed meanwhile (the
    /// append function's QD001), a refusal (42501), no journal yet (QD002), the server gone (75),
    /// or the server's own message.
    static func journalError(_ error: any Error, name: String) -> JournalError {
        if let e = error as? JournalError { return e }
        guard let p = error as? PSQLError else { return .unreachable(name: name, reason: "\(error)") }
        guard p.code == .server, let state = p.serverInfo?[.sqlState] else {
            switch p.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .queryCancelled:
                return .unreachable(name: name, reason: p.underlying.map(plain) ?? "\(p.code)")
            case .authMechanismRequiresPassword:
                return .denied(name: name, reason: "the server asks for a password: set PGPASSWORD, or put it in ~/.pgpass (mode 600)")
            case .sslUnsupported:
                return .database(name: name, reason: "the server does not offer TLS, which this address's sslmode requires "
                                 + "(its administrator turns ssl on, or the address says sslmode=prefer on a network you trust)")
            default:
                return .database(name: name, reason: describe(error))
            }
        }
        let message = p.serverInfo?[.message] ?? "\(p.code)"
        switch state {
        case "QD001":
            // DETAIL: ticket, its version now, when and by whom it was last changed.
            let parts = (p.serverInfo?[.detail] ?? "").split(separator: " ", maxSplits: 3).map(String.init)
            if parts.count == 4, let id = TicketID(parts[0]), let actual = UInt32(parts[1]), let at = Int64(parts[2]) {
                return .stale(ticket: id, expected: 0, actual: actual, by: parts[3], at: Instant(ms: at))
            }
            return .database(name: name, reason: message)
        case "QD002", "3D000": return .missing(path: name)  // no journal yet; no such database
        // 42501 a privilege the login lacks; class 28 a login refused (a wrong password, no pg_hba line).
        case "42501": return .denied(name: name, reason: message)
        case _ where state.hasPrefix("28"):
            return .denied(name: name, reason: message + " (a password comes from PGPASSWORD or ~/.pgpass; over the socket, peer logins are your own OS user's name)")
        default:
            // Class 08 (connection) and 57P (the server shutting down or starting): try again later.
            if state.hasPrefix("08") || state.hasPrefix("57P") { return .unreachable(name: name, reason: message) }
            return .database(name: name, reason: "\(message) (SQLSTATE \(state))")
        }
    }

    /// A system error as the system words it ("Connection refused (errno 111)"), not as NIO
    /// prints its call.
    static func plain(_ error: any Error) -> String {
        if let io = error as? IOError { return "\(String(cString: strerror(io.errnoCode))) (errno \(io.errnoCode))" }
        // A TCP connect tries each address the name has; the last one's failure says enough.
        if let tried = error as? NIOConnectionError, let last = tried.connectionErrors.last {
            return "\(last.target): \(plain(last.error))"
        }
        return "\(error)"
    }

    /// The server's message and SQLSTATE, or what failed on the way.
    static func describe(_ error: any Error) -> String {
        if let p = error as? PSQLError {
            if let message = p.serverInfo?[.message] { return message + (p.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "") }
            return "\(p.code)"
        }
        return "\(error)"
    }
}
