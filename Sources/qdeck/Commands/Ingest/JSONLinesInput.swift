import Foundation
import QueueDeckDomain
import QueueDeckIntake

/// Reads a JSON-lines feed (a file, or `-`: standard input as it arrives), handing each non-blank
/// line with its name, number and byte offset; a line split across reads is whole when handed. A
/// line that is not UTF-8 or longer than the journal takes is named and skipped here; a line's
/// trailing CR and blanks are not part of it (a feed exported again with CRLF is the same feed).
/// `skipped` is told of each line passed over here (it is already said on standard error).
func readJSONLines(_ file: String, skipped: @escaping () -> Void, _ each: (String, String, Int, Int64) throws -> Void) throws {
    let name = file == "-" ? "<stdin>" : file
    let fd: Int32
    if file == "-" { fd = 0 } else {
        fd = open(file, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw Failure(code: Exit.noInput, message: "\(file): cannot read: \(String(cString: strerror(errno)))") }
    }
    defer { if fd != 0 { close(fd) } }
    var st = stat()
    if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
        throw Failure(code: Exit.noInput, message: "\(name): a folder, not a file of JSON lines")
    }
    var lines = LineSplitter(maxLineBytes: Commands.maxTextBytes * 2)
    lines.tooLong = { number, offset, length in
        printError("qdeck: \(name):\(number) (byte \(offset)): line: \(length) bytes, over the \(Commands.maxTextBytes * 2) a line may have (line skipped)")
        skipped()
    }
    func handleLine(_ bytes: ArraySlice<UInt8>, _ lineNumber: Int, _ offset: Int64) throws {
        var end = bytes.endIndex
        while end > bytes.startIndex, [0x0D, 0x20, 0x09].contains(bytes[end - 1]) { end -= 1 }
        let trimmed = bytes[bytes.startIndex..<end]
        guard let text = String(validating: trimmed, as: UTF8.self) else {
            throw IntakeInputError(file: name, line: lineNumber, offset: offset, field: "line", problem: "not UTF-8 text")
        }
        guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        try each(text, name, lineNumber, offset)
    }
    var buffer = [UInt8](repeating: 0, count: 64 * 1024)
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n < 0 && errno == EINTR { continue }
        guard n >= 0 else { throw Failure(code: Exit.ioErr, message: "\(name): cannot read: \(String(cString: strerror(errno)))") }
        if n == 0 { break }
        try lines.feed(buffer[0..<n]) { bytes, number, offset in
            do { try handleLine(bytes, number, offset) } catch let e as IntakeInputError { printError("qdeck: \(e) (line skipped)"); skipped() }
        }
    }
    try lines.finish { bytes, number, offset in
        do { try handleLine(bytes, number, offset) } catch let e as IntakeInputError { printError("qdeck: \(e) (line skipped)"); skipped() }
    }
}
