// swift-tools-version:6.0
import PackageDescription

// Dependencies point one way: executable -> console / intake -> journal -> domain; config -> domain
// (docs/ARCHITECTURE.md has the map).
// The domain library is pure Swift (no I/O, no clock of its own).
let fastRelease: [SwiftSetting] = [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]

let package = Package(
    name: "QueueDeck",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "qdeck", targets: ["qdeck"]),
        .library(name: "QueueDeckDomain", targets: ["QueueDeckDomain"]),
        .library(name: "QueueDeckJournal", targets: ["QueueDeckJournal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
        // SHA-256 for the attachment store (and, later, SCRAM for PostgreSQL through postgres-nio).
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        // The PostgreSQL journal's client (the kept Swift one; docs/POSTGRES.md).
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
    ],
    targets: [
        // The replay's inner loop: dynamic exclusivity checks cost several percent of a million-event
        // fold in release (debug builds and tests keep them).
        .target(name: "QueueDeckDomain", swiftSettings: fastRelease),
        // The one door for customer text to a terminal; shared by the CLI and the console.
        .target(name: "QueueDeckText", dependencies: ["CQueueDeckWidth"]),
        // glibc's wcwidth in a UTF-8 locale, whatever the process locale is.
        .target(name: "CQueueDeckWidth"),
        // The stop-signal flag: a C handler is what is async-signal-safe.
        .target(name: "CQueueDeckSignals"),
        // The ncursesw C module: module map plus a small shim header.
        .systemLibrary(name: "CNCursesW", pkgConfig: "ncursesw", providers: [.apt(["libncurses-dev"])]),
        // The terminal front end: agent console (and the wall screen). Only Terminal calls curses.
        .target(name: "QueueDeckConsole", dependencies: ["QueueDeckDomain", "QueueDeckJournal", "QueueDeckText", "QueueDeckMail", "CNCursesW", "CQueueDeckSignals"]),
        // The journal in PostgreSQL: schema, roles and the DeskJournal backend over postgres-nio.
        .target(name: "QueueDeckPostgres", dependencies: ["QueueDeckDomain", "QueueDeckJournal", .product(name: "PostgresNIO", package: "postgres-nio")]),
        // Where a desk's journal is, and the one switch that opens whichever backend holds it.
        .target(name: "QueueDeckBackends", dependencies: ["QueueDeckDomain", "QueueDeckJournal", "QueueDeckPostgres"]),
        .target(name: "QueueDeckJournal", dependencies: ["QueueDeckDomain", "CQueueDeckCRC", .product(name: "Crypto", package: "swift-crypto")],
                swiftSettings: fastRelease),
        // CRC-32C with the CPU's crc32 instruction (Swift cannot reach the intrinsic).
        .target(name: "CQueueDeckCRC"),
        // RFC 5322 / MIME parsing for intake: pure (no I/O), charsets through the C library's iconv.
        .target(name: "QueueDeckMail"),
        // Intake and outbound: mail, queue_log and chat into the journal; replies out through sendmail.
        .target(name: "QueueDeckIntake", dependencies: ["QueueDeckDomain", "QueueDeckJournal", "QueueDeckMail"]),
        // Resources/ is the source of truth for defaults; embedded in the binary so an
        // installed qdeck needs no resource bundle beside it.
        .target(
            name: "QueueDeckResources",
            path: "Resources",
            exclude: ["README.md", "team.example.yaml"],
            resources: [.embedInCode("defaults.yaml")]
        ),
        .target(
            name: "QueueDeckConfig",
            dependencies: ["QueueDeckDomain", "QueueDeckResources", .product(name: "Yams", package: "Yams")]
        ),
        .executableTarget(
            name: "qdeck",
            dependencies: [
                "QueueDeckDomain", "QueueDeckJournal", "QueueDeckConfig", "QueueDeckText", "QueueDeckConsole", "QueueDeckIntake",
                "QueueDeckMail", "QueueDeckPostgres", "QueueDeckBackends", "CQueueDeckSignals", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Benchmarks and the crash-test writer: figures for docs/PERFORMANCE.md.
        .executableTarget(
            name: "qdeck-bench",
            dependencies: ["QueueDeckDomain", "QueueDeckJournal", "QueueDeckConsole", "QueueDeckMail", "QueueDeckIntake", "QueueDeckBackends", "QueueDeckPostgres"]
        ),
        // Fuzz targets (journal reader, filter parser, email parser, queue_log parser, snapshot decoder,
        // chat lines, team files, addresses): libFuzzer
        // with scripts/fuzz.sh, else a replayer the tests run over the committed corpus.
        .executableTarget(
            name: "qdeck-fuzz",
            dependencies: ["QueueDeckDomain", "QueueDeckJournal", "QueueDeckMail", "QueueDeckIntake", "QueueDeckConfig", "CQueueDeckFuzz"]
        ),
        .target(name: "CQueueDeckFuzz"),
        .testTarget(name: "QueueDeckDomainTests", dependencies: ["QueueDeckDomain"]),
        .testTarget(name: "QueueDeckJournalTests", dependencies: ["QueueDeckJournal", "QueueDeckBackends", "QueueDeckPostgres", "QueueDeckDomain"]),
        .testTarget(name: "QueueDeckConfigTests", dependencies: ["QueueDeckConfig", "QueueDeckDomain"]),
        .testTarget(name: "QueueDeckTextTests", dependencies: ["QueueDeckText"]),
        .testTarget(name: "QueueDeckMailTests", dependencies: ["QueueDeckMail"]),
        .testTarget(name: "QueueDeckIntakeTests", dependencies: ["QueueDeckIntake", "QueueDeckDomain"]),
        .testTarget(name: "QueueDeckPostgresTests", dependencies: ["QueueDeckPostgres", "QueueDeckDomain", "QueueDeckJournal",
                                                             .product(name: "PostgresNIO", package: "postgres-nio")]),
        .testTarget(name: "QueueDeckConsoleTests", dependencies: ["QueueDeckConsole", "QueueDeckDomain", "QueueDeckJournal"]),
        // Drive the built binaries; the journal library is used to follow and inspect what they wrote.
        .testTarget(name: "EndToEndTests", dependencies: ["qdeck", "qdeck-bench", "qdeck-fuzz", "QueueDeckJournal", "QueueDeckDomain"]),
    ]
)
