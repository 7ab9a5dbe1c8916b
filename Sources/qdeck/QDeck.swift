import ArgumentParser

@main
struct QDeck: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "qdeck",
        abstract: "QueueDeck: work live email, call and chat queues from the terminal.",
        discussion: "Every console and command shares one append-only journal: a file on this host (--journal PATH, QDECK_JOURNAL; "
            + "default $XDG_DATA_HOME/qdeck/desk.journal), or a PostgreSQL database for a desk on many hosts "
            + "(--journal postgresql://USER@HOST/DB; qdeck db prepares one, qdeck log copy moves a desk in). See README.md for exit codes.",
        version: "0.1.0",
        subcommands: [
            Console.self, Demo.self, New.self, List.self, Show.self, AttachmentCommand.self, ContactCommand.self, Reply.self, Inbound.self, Note.self, Reassign.self, Claim.self,
            Postpone.self, Resolve.self, Reopen.self, Accept.self, SetPriority.self, Tag.self, Abandon.self, PresenceCommand.self, Ingest.self, OutboxCommand.self, Stats.self, Wall.self, Automate.self, RulesCommand.self, Log.self, Config.self, DbCommand.self,
        ],
        defaultSubcommand: Console.self)

    /// Global options may come before the subcommand (`qdeck --journal J list`); each subcommand
    /// declares them, so they are moved behind the subcommand path before parsing.
    static func main() {
        let args = hoistGlobalOptions(Array(CommandLine.arguments.dropFirst()))
        do {
            var command = try parseAsRoot(args)
            try command.run()
        } catch {
            exit(withError: error)
        }
    }

    static let globalOptions: Set<String> = ["--journal", "--config"]

    static func hoistGlobalOptions(_ args: [String]) -> [String] {
        var rest = args[...]
        var globals: [String] = []
        while let first = rest.first {
            let name = String(first.split(separator: "=", maxSplits: 1).first ?? "")
            guard globalOptions.contains(name) else { break }
            globals.append(rest.removeFirst())
            if !first.contains("="), let value = rest.first {
                globals.append(value)
                rest.removeFirst()
            }
        }
        return Array(rest) + globals
    }
}
