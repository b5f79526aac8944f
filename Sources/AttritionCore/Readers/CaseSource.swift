import Foundation

/// What the user pointed `attrition` at, told apart by what it is rather than by its name: the
/// registry of readers. Each reader turns its source into cases for the one `CaseTableBuilder`.
public enum CaseSource: Equatable, Sendable {
    /// A canonical case-journey CSV (case-journey-format.md).
    case caseFile(String)
    /// A folder of police.uk downloads, searched recursively (police-uk.md).
    case policeUKFolder(String)
    /// A police.uk `.zip` archive, read in place.
    case policeUKArchive(String)
    /// One police.uk street CSV (only its own last outcome category is known).
    case policeUKStreetFile(String)
    /// A snapshot written by `attrition save` (docs/snapshot-format.md), opened in place.
    case snapshot(String)

    /// The source at `path`: a folder, a ZIP archive (by its first bytes), or a CSV whose header
    /// says whether it is police.uk's street file or a case-journey file.
    public static func detect(path: String) throws -> CaseSource {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw ImportError.unreadable(file: path, reason: String(cString: strerror(ENOENT)))
        }
        if isFolder.boolValue { return .policeUKFolder(path) }
        if ZipReader.looksLikeZip(path: path) { return .policeUKArchive(path) }
        if SnapshotFile.looksLikeSnapshot(path: path) { return .snapshot(path) }
        let scanner = CSVScanner(source: try FileByteSource(path: path), chunkSize: 1 << 16)
        guard try scanner.next(), !scanner.isBinary, scanner.problem == nil else { return .caseFile(path) }
        let names = (0..<scanner.fieldCount).map { DisplayText.decode(scanner.field($0)).text }
        switch PoliceUKFileKind(header: names) {
        case .street?: return .policeUKStreetFile(path)
        case .outcomes?:
            throw ImportError.unreadable(file: path, reason: "it is a police.uk outcomes file, which names outcomes but not the crimes; "
                + "give the folder or archive that also holds the street files")
        case nil: return .caseFile(path)
        }
    }

    /// The path the source was found at.
    public var path: String {
        switch self {
        case .caseFile(let path), .policeUKFolder(let path), .policeUKArchive(let path), .policeUKStreetFile(let path), .snapshot(let path): path
        }
    }

    /// The mapping that applies when none is named: `attrition.toml` beside a case file, if there is one.
    public var defaultMapping: String? {
        guard case .caseFile(let path) = self else { return nil }
        let candidate = URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("attrition.toml").path
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }

    /// The format's name, for messages.
    public var formatName: String {
        switch self {
        case .caseFile: "case-journey CSV"
        case .policeUKFolder: "police.uk folder"
        case .policeUKArchive: "police.uk archive"
        case .policeUKStreetFile: "police.uk street file"
        case .snapshot: "attrition snapshot"
        }
    }

    /// Reads the source into cases, within `limits`, reporting `progress` and sending rejected rows to `rejectSink`.
    /// A case file is read through `mapping` when one is given, in `encoding` (nil: told from the
    /// file); police.uk data takes neither. `shownAs` names the source in the account and messages
    /// when it is read from elsewhere (a stream's copy).
    public func load(limits: ImportLimits = ImportLimits(), progress: ((ImportProgress) -> Void)? = nil,
                     rejectSink: RejectSink? = nil, mapping: Mapping? = nil, events: String? = nil,
                     encoding: TextEncoding? = nil, shownAs: String? = nil) throws -> ImportResult {
        let result = try read(limits: limits, progress: progress, rejectSink: rejectSink, mapping: mapping, events: events,
                              encoding: encoding, shownAs: shownAs)
        // --max-distinct holds for every dimension: an extra column past it is left out as it is
        // read; a built-in one (or any of a snapshot's) with more groups is refused.
        for dimension in result.table.dimensions where dimension.labels.count > limits.maxDistinct {
            throw ImportError.tooManyGroups(file: shownAs ?? path, dimension: dimension.name, groups: dimension.labels.count,
                                            limit: limits.maxDistinct)
        }
        return result
    }

    private func read(limits: ImportLimits, progress: ((ImportProgress) -> Void)?, rejectSink: RejectSink?, mapping: Mapping?,
                      events: String?, encoding: TextEncoding?, shownAs: String?) throws -> ImportResult {
        if let events, self != .caseFile(path) {
            throw QueryError.notAnswerable("--events \(events): an event file goes with a records-system extract; \(path) is a \(formatName), "
                + readAs)
        }
        if let mapping, self != .caseFile(path) {
            throw MappingError(file: mapping.path, line: nil, reason: "a mapping is for a records-system extract; \(path) is a \(formatName), "
                + readAs)
        }
        switch self {
        case .caseFile(let path):
            var importer = CaseImporter(fileName: shownAs ?? path)
            importer.mapping = mapping
            importer.eventsFile = events
            importer.encoding = encoding
            importer.limits = limits
            importer.progress = progress
            importer.rejectSink = rejectSink
            return try importer.importFile(atPath: path)
        case .policeUKFolder(let path):
            return try policeUK(shownAs ?? path, limits, progress, rejectSink).read(try PoliceUKFiles.folder(path))
        case .policeUKArchive(let path):
            let archive = try ZipReader(path: path)
            return try policeUK(shownAs ?? path, limits, progress, rejectSink)
                .read(PoliceUKFiles.archive(archive, wholeEntryLimit: limits.wholeEntryBytes))
        case .policeUKStreetFile(let path):
            return try policeUK(shownAs ?? path, limits, progress, rejectSink).read(PoliceUKFiles.single(path))
        case .snapshot(let path):
            return try SnapshotFile.open(path: path)
        }
    }

    /// How a source other than a case file is read, for messages refusing a mapping or event file.
    private var readAs: String {
        if case .snapshot = self { return "which holds cases already read (through the mapping it was saved with)" }
        return "which is read as police.uk publishes it"
    }

    private func policeUK(_ path: String, _ limits: ImportLimits, _ progress: ((ImportProgress) -> Void)?,
                          _ sink: RejectSink?) -> PoliceUKReader {
        var reader = PoliceUKReader(sourceName: path)
        reader.limits = limits
        reader.progress = progress
        reader.rejectSink = sink
        return reader
    }
}
