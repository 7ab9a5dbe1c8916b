import ArgumentParser
import Foundation
import QueueDeckConfig
import QueueDeckDomain
import QueueDeckJournal
import QueueDeckText

/// Exit codes, sysexits where one fits. Documented in README.md.
enum Exit {
    static let ok: Int32 = 0
    static let failure: Int32 = 1
    /// The ticket changed since the version acted on (someone else changed it).
    static let stale: Int32 = 3
    /// The ticket's rules refuse the action (its status does not allow it, or nothing would change).
    static let refused: Int32 = 4
    static let usage: Int32 = 64       // EX_USAGE: bad arguments, garbage time, bad filter
    static let dataErr: Int32 = 65     // EX_DATAERR: damaged journal, not a journal
    static let noInput: Int32 = 66     // EX_NOINPUT: unknown ticket, no journal
    static let cantCreate: Int32 = 73  // EX_CANTCREAT: journal path not writable
    static let ioErr: Int32 = 74       // EX_IOERR: write or fsync failed
    static let tempFail: Int32 = 75    // EX_TEMPFAIL: journal locked too long; try again
    static let noPerm: Int32 = 77      // EX_NOPERM: the role lacks the permission
    static let config: Int32 = 78      // EX_CONFIG: configuration error
}

/// A failure that has already been worded for the user; printed, it is that wording (never
/// `Failure(code: 66, message: …)`).
struct Failure: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    var description: String { message }
}

func describeFailure(_ error: Error) -> (Int32, String) {
    switch error {
    case let f as Failure: return (f.code, f.message)
    case let e as DomainError:
        switch e {
        case .unknownTicket: return (Exit.noInput, e.description)
        case .notPermitted, .unknownAgent: return (Exit.noPerm, e.description)
        case .invalidTransition, .nothingToDo: return (Exit.refused, e.description)
        case .unknownDepartment, .invalidValue: return (Exit.usage, e.description)
        }
    case let e as JournalError:
        switch e {
        case .missing: return (Exit.noInput, e.description)
        case .cannotOpen: return (Exit.cantCreate, e.description)
        case .notAJournal, .damagedHeader, .damaged, .networkFileSystem, .replaced: return (Exit.dataErr, e.description)
        // The text given is too large, not the journal damaged: the caller's input to change.
        case .eventTooLarge: return (Exit.usage, e.description)
        case .refused: return (Exit.cantCreate, e.description)
        case .stale: return (Exit.stale, e.description)
        case .lockTimeout: return (Exit.tempFail, e.description)
        case .writeFailed(_, let errno) where errno == 28 || errno == 27:  // ENOSPC, EFBIG
            return (Exit.tempFail, e.description)
        case .writeFailed, .shortWrite, .syncFailed, .io, .database: return (Exit.ioErr, e.description)
        case .unreachable: return (Exit.tempFail, e.description)
        case .denied: return (Exit.noPerm, e.description)
        }
    case let e as ConfigErrors: return (Exit.config, "configuration error:\n" + e.description)
    case let e as FilterError: return (Exit.usage, e.description)
    default: return (Exit.failure, "\(error)")
    }
}

/// Every qdeck command runs through here: errors become one line on stderr and a distinct exit code.
protocol DeskCommand: ParsableCommand {
    func execute() throws
}

extension DeskCommand {
    func run() throws {
        // A snapshot being written in the background is finished before the process exits.
        defer { SnapshotKeeper.waitForAll() }
        do {
            try execute()
        } catch let e as ExitCode {
            throw e
        } catch {
            let (code, message) = describeFailure(error)
            printError("qdeck: " + message)
            throw ExitCode(code)
        }
    }
}

/// Errors often quote input (a header, a queue_log field, sendmail's complaint): through the one
/// sanitiser before they reach a terminal.
func printError(_ s: String) {
    FileHandle.standardError.write(Data((ScreenText.lines(s).joined(separator: "\n") + "\n").utf8))
}
