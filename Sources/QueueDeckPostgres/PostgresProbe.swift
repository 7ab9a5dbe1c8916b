import Foundation
import NIOCore
import PostgresNIO

/// The floor a durable append on PostgreSQL is measured against (docs/PERFORMANCE.md): the same
/// bytes as a bare INSERT, committed on its own, through the same client and connection code on
/// the same server. Used by qdeck-bench only.
public final class PostgresProbe {
    let link: PostgresLink

    /// Connects and makes an unlogged-nothing, plain table `qdeck_probe` like qdeck_events without
    /// its checks (a login that may create tables: the bench runs as the server's superuser).
    public init(address: PostgresAddress) throws {
        link = PostgresLink(address)
        try link.run { c in
            try await PostgresLink.execute(c, """
                CREATE TABLE IF NOT EXISTS qdeck_probe (seq bigint PRIMARY KEY, ticket text NOT NULL, version integer NOT NULL,
                    at bigint NOT NULL, actor text NOT NULL, type smallint NOT NULL, payload bytea NOT NULL)
                """)
        }
    }

    /// One INSERT, committed (autocommit), of a row like an event's; its time in microseconds.
    public func insert(seq: Int64, ticket: String, actor: String, type: Int16, payload: [UInt8]) throws -> Double {
        let buffer = ByteBuffer(bytes: payload)
        let t0 = DispatchTime.now().uptimeNanoseconds
        try link.run { c in
            try await PostgresLink.execute(c, """
                INSERT INTO qdeck_probe (seq, ticket, version, at, actor, type, payload)
                VALUES (\(seq), \(ticket), 1, \(seq), \(actor), \(type), \(buffer))
                """)
        }
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1000
    }
}
