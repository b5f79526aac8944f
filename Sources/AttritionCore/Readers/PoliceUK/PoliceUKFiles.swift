import Foundation

/// One file of a police.uk download, wherever it lives: on disk or inside an archive.
public struct PoliceUKFile: Sendable {
    /// The path within the folder or archive, as messages name it (`2024-06/2024-06-kent-street.csv`).
    public let name: String
    /// Bytes it holds (inflated size for an archive entry).
    public let size: Int64
    /// Opens it for reading from the start; files of one source may be open on several threads at once.
    let open: @Sendable () throws -> any ByteSource
    /// Opens it for a look at its first lines, holding little (an archive entry streamed, not inflated whole).
    let peek: @Sendable () throws -> any ByteSource

    /// A file called `name` of `size` bytes, opened by `open` (and, for a look at its header, by `peek`).
    init(name: String, size: Int64, peek: (@Sendable () throws -> any ByteSource)? = nil, open: @escaping @Sendable () throws -> any ByteSource) {
        self.name = name
        self.size = size
        self.open = open
        self.peek = peek ?? open
    }

    /// Whether the name ends in `.csv`, ignoring case.
    var isCSV: Bool { name.lowercased().hasSuffix(".csv") }
}

/// The files of a police.uk download: a folder searched recursively, a `.zip` archive read in
/// place, or one street CSV. Listed in path order, so a folder and the archive made from it are
/// read in the same order and give the same cases.
public enum PoliceUKFiles {
    /// Every regular file under `folder` (hidden ones left out), named by their path inside it.
    public static func folder(_ folder: String) throws -> [PoliceUKFile] {
        let root = URL(fileURLWithPath: folder).standardizedFileURL
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey],
                                                          options: [.skipsHiddenFiles]) else {
            throw ImportError.unreadable(file: folder, reason: "the folder cannot be listed")
        }
        var files: [PoliceUKFile] = []
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in walker {
            let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey])
            guard values?.isRegularFile == true else { continue }
            let path = url.standardizedFileURL.path
            let name = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : url.lastPathComponent
            files.append(PoliceUKFile(name: name, size: Int64(values?.fileSize ?? 0)) { try FileByteSource(path: path) })
        }
        return files.sorted { $0.name < $1.name }
    }

    /// Every file entry of the archive, read in place; an entry unpacking to at most
    /// `wholeEntryLimit` bytes is inflated whole (faster), a larger one streamed.
    public static func archive(_ archive: ZipReader, wholeEntryLimit: Int64 = ZipEntrySource.wholeEntryLimit) -> [PoliceUKFile] {
        archive.entries.filter { !$0.isDirectory }.map { entry in
            PoliceUKFile(name: entry.name, size: entry.uncompressedSize, peek: { try archive.source(for: entry, wholeEntryLimit: 0) }) {
                try archive.source(for: entry, wholeEntryLimit: wholeEntryLimit)
            }
        }.sorted { $0.name < $1.name }
    }

    /// One file on its own.
    public static func single(_ path: String) -> [PoliceUKFile] {
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
        return [PoliceUKFile(name: (path as NSString).lastPathComponent, size: size) { try FileByteSource(path: path) }]
    }
}

/// The two kinds of police.uk file that speak to crimes, told apart by their headers.
enum PoliceUKFileKind: String, Sendable {
    /// One row per crime (or anti-social behaviour incident) in the month it was recorded.
    case street
    /// One row per outcome event of a crime, in the month it happened.
    case outcomes

    /// The kind a header shows, if it is either (docs/contracts/police-uk.md, section 2).
    init?(header names: [String]) {
        let keys = Set(names.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
        guard keys.contains("crime id"), keys.contains("month") else { return nil }
        if keys.contains("crime type"), keys.contains("last outcome category") {
            self = .street
        } else if keys.contains("outcome type") {
            self = .outcomes
        } else {
            return nil
        }
    }
}

/// What a police.uk import read and passed over, beyond the crimes themselves.
public struct SourceFilesAccount: Sendable, Codable {
    /// A file read, with its kind and data rows.
    public struct ReadFile: Sendable, Codable {
        /// Path within the folder or archive.
        public let name: String
        /// `street` or `outcomes`.
        public let kind: String
        /// Data rows read from it.
        public let rows: Int
    }

    /// A file passed over, and why.
    public struct PassedOver: Sendable, Codable {
        /// Path within the folder or archive.
        public let name: String
        /// Why it was not read (`stop-and-search file`, `not a CSV file`, …).
        public let reason: String
    }

    /// The source format's name (`police.uk`).
    public let format: String
    /// Files read, in the order read.
    public var read: [ReadFile] = []
    /// Files passed over.
    public var passedOver: [PassedOver] = []
    /// Rows of the outcome files: applied + outside the files + blank + unknown category + rejected.
    public var eventRows = 0
    /// Outcome rows applied to a crime in the files.
    public var eventsApplied = 0
    /// Outcome rows whose crime is in no street file read (recorded before the first month, or by another force).
    public var eventsOutside = 0
    /// Outcome rows with a blank outcome type (not events).
    public var eventsBlank = 0
    /// Outcome rows whose category is not in the contract's table (each warned about).
    public var eventsUnknown = 0
    /// Outcome rows that could not be read (each listed with the rejections).
    public var eventsRejected = 0
}
