import Foundation
import QueueDeckText

/// The one door for the command line's standard output. Whatever a command puts in a line, it
/// reaches the terminal through the screen sanitiser (controls shown as pictures, bidi controls
/// removed); text with nothing to clean goes straight out. Unbuffered: `--follow` lines show as
/// they happen.
func emit(_ text: String = "", terminator: String = "\n") {
    let clean = ScreenText.isClean(text) ? text : ScreenText.lines(text).joined(separator: "\n")
    FileHandle.standardOutput.write(Data((clean + terminator).utf8))
}

/// JSON output: exact data, with the characters a terminal would obey escaped (`\u202e`).
func emitJSON(_ data: Data, terminator: String = "\n") {
    let text = String(decoding: data, as: UTF8.self)
    FileHandle.standardOutput.write(Data((ScreenText.inertJSON(text) + terminator).utf8))
}

/// "1 call", "3 calls".
func countPhrase(_ n: Int, _ singular: String) -> String { "\(n) \(singular)\(n == 1 ? "" : "s")" }
