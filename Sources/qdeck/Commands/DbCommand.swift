import ArgumentParser
import Foundation
import QueueDeckConfig
import QueueDeckPostgres

/// Setting up a desk's journal in PostgreSQL (docs/POSTGRES.md). The journal there is being built:
/// these prepare the database; `--journal postgresql://…` for the other commands comes next.
struct DbCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Prepare a PostgreSQL database for a desk: the schema and the roles.",
        discussion: "Give the database with --journal postgresql://USER@HOST:PORT/DB (or ?host=/socket/folder; PG* variables fill the rest, as with psql). Run as a role that may create roles.",
        subcommands: [Init.self, SyncRoster.self])

    struct Init: DeskCommand {
        static let configuration = CommandConfiguration(
            commandName: "init",
            abstract: "Create or upgrade the schema and the group roles (qdeck_viewer, qdeck_agent, qdeck_supervisor, qdeck_admin, qdeck_intake).",
            discussion: "Safe to run again. A database whose schema is newer than this qdeck is refused, unchanged.")
        @OptionGroup var globals: GlobalOptions

        func execute() throws {
            let address = try postgresAddress(globals)
            let r = try database { try PostgresAdmin.initialise(address) }
            emit(r.from == r.to ? "\(address.shown): schema version \(r.to), up to date" : "\(address.shown): schema version \(r.from) → \(r.to)")
            emit(r.createdRoles.isEmpty ? "group roles: all there" : "group roles created: " + r.createdRoles.joined(separator: ", "))
        }
    }

    struct SyncRoster: DeskCommand {
        static let configuration = CommandConfiguration(
            commandName: "sync-roster",
            abstract: "One login role per roster agent, in the group of their desk role.",
            discussion: "The roster is the team file's (--config or QDECK_CONFIG). How agents authenticate (peer over the Unix socket, scram-sha-256 or certificates over TCP) is pg_hba.conf's business: README, PostgreSQL.")
        @OptionGroup var globals: GlobalOptions

        func execute() throws {
            let address = try postgresAddress(globals)
            // The built-in roster is an example (it has an `admin`): never made into logins by default.
            let companion = try globals.journalLocation().companionPath
            guard ConfigLoader.teamFilePath(explicit: globals.config, journalPath: companion, environment: globals.environment) != nil else {
                throw Failure(code: Exit.usage, message: "qdeck db sync-roster makes a login for each agent of the desk's team file: give it with --config FILE (or QDECK_CONFIG); "
                              + "without one it would use the built-in example roster")
            }
            let rules = try globals.rules(journalPath: companion)
            for line in try database({ try PostgresAdmin.syncRoster(address, agents: rules.agents) }) { emit(line) }
        }
    }
}

/// The PostgreSQL address given as the journal.
func postgresAddress(_ g: GlobalOptions) throws -> PostgresAddress {
    switch try g.journalLocation() {
    case .postgres(let address, _): return address
    case .file: throw Failure(code: Exit.usage, message: "qdeck db works on a PostgreSQL journal: give --journal postgresql://… (or QDECK_JOURNAL)")
    }
}

/// A database that cannot be reached is a temporary failure (75), as a busy journal is; a role
/// without the privilege 77; a schema of another qdeck 65.
func database<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let e as PostgresAdmin.Failure {
        let code: Int32 = switch e.kind {
        case .unreachable: Exit.tempFail
        case .denied: Exit.noPerm
        case .incompatible: Exit.dataErr
        case .refused: Exit.failure
        }
        throw Failure(code: code, message: e.description)
    }
}
