import ArgumentParser
import Foundation
import QueueDeckDomain
import QueueDeckJournal
import QueueDeckText

/// Lists a ticket's attachments, saves them, or writes one to standard output (never to a terminal).
struct AttachmentCommand: DeskCommand {
    static let configuration = CommandConfiguration(
        commandName: "attachment",
        abstract: "List a ticket's attachments, or save them.",
        discussion: """
        qdeck attachment ID                 list them, numbered
        qdeck attachment ID N --save PATH   save number N (PATH may be a folder: the file keeps its name)
        qdeck attachment ID --save DIR      save every kept attachment into DIR
        qdeck attachment ID N > FILE        write number N to standard output (refused on a terminal)
        A saved file is new (never overwrites one) and readable by you alone. An attachment over the \
        desk's size limit (intake.max_attachment_mb) is listed but was never kept.
        """)
    @OptionGroup var globals: GlobalOptions
    @Argument(help: "The ticket ID.") var id: String
    @Argument(help: "The attachment's number (from the list).") var number: Int?
    @Option(name: .long, help: ArgumentHelp("Save to this file or folder.", valueName: "path")) var save: String?
    @Flag(name: .long, help: "List as JSON.") var json = false

    func execute() throws {
        let session = try DeskSession(globals, writable: false)
        let t = try session.ticket(id)
        let files = t.attachments
        guard let number else {
            if let save { return try saveAll(t, into: save, blobs: session.journal.blobs) }
            if json {
                return try printJSON(files.enumerated().map { AttachmentJSON($0.element.file, number: $0.offset + 1, from: $0.element.from, at: $0.element.at) })
            }
            if files.isEmpty { return emit("\(t.id): no attachments") }
            for (n, a) in files.enumerated() {
                emit("\(n + 1)  \(ScreenText.line(a.file.summary))  from \(ScreenText.line(a.from))  \(a.at.isoUTC)")
            }
            return
        }
        guard (1...max(1, files.count)).contains(number), number <= files.count else {
            throw Failure(code: Exit.noInput, message: "\(t.id) has \(countPhrase(files.count, "attachment")); there is no number \(number)")
        }
        let a = files[number - 1].file
        let bytes = try read(a, blobs: session.journal.blobs)
        if let save {
            let path = GuardedFile.savePath(save, name: a.fileName)
            try GuardedFile.createPrivate(path, bytes)
            return emit("saved \(ScreenText.line(a.fileName)) (\(AttachmentRef.sizeText(a.size))) as \(ScreenText.line(path))")
        }
        guard isatty(1) == 0 else {
            throw Failure(code: Exit.usage, message: "not written to a terminal (it is \(ScreenText.line(a.type))): use --save PATH, or redirect standard output")
        }
        FileHandle.standardOutput.write(Data(bytes))
    }

    func read(_ a: AttachmentRef, blobs: any BlobStore) throws -> [UInt8] {
        guard let hex = a.digest, let digest = BlobDigest(hex: hex) else {
            throw Failure(code: Exit.noInput, message: "\(ScreenText.line(a.name)) was over the size limit when it came and was not kept")
        }
        return try blobs.get(digest)
    }

    func saveAll(_ t: Ticket, into dir: String, blobs: any BlobStore) throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw Failure(code: Exit.usage, message: "\(dir): give a folder to save every attachment into (or a number to save one)")
        }
        var saved = 0, failed = 0
        for (n, a) in t.attachments.enumerated() {
            do {
                let bytes = try read(a.file, blobs: blobs)
                // Two files of one name: the second keeps its number in front.
                var path = dir + "/" + a.file.fileName
                if FileManager.default.fileExists(atPath: path) || t.attachments.prefix(n).contains(where: { $0.file.fileName == a.file.fileName }) {
                    path = dir + "/\(n + 1)-" + a.file.fileName
                }
                try GuardedFile.createPrivate(path, bytes)
                emit("saved \(n + 1) as \(ScreenText.line(path))")
                saved += 1
            } catch {
                printError("qdeck: attachment \(n + 1): \(describeFailure(error).1)")
                failed += 1
            }
        }
        emit("\(countPhrase(saved, "file")) saved" + (failed > 0 ? ", \(failed) not" : ""))
        if failed > 0 { throw ExitCode(Exit.failure) }
    }
}
