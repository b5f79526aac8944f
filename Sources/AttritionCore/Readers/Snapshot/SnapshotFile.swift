import Foundation

/// `attrition save`: an imported table kept as one binary file that opens in a moment — its
/// columns mapped into memory as they lie, not read and parsed again — with the import's account,
/// the mapping used and the source's SHA-256. Every command and the interface open it like a CSV.
///
/// A file cut short, damaged (its CRC-32 does not match) or of a newer format is refused with a
/// clear message. Each file it was built from is recorded (path, size, modification time, inode):
/// when one has changed or gone since, the account says the snapshot is not current.
public enum SnapshotFile {
    /// Whether the file at `path` starts as a snapshot does.
    public static func looksLikeSnapshot(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 8)).map { Array($0) == SnapshotLayout.magic } ?? false
    }

    /// Writes `result` to `destination` atomically, readable by its owner only; `sources` are the
    /// files it was built from (recorded to tell later whether it is still current).
    public static func save(_ result: ImportResult, to destination: String, overwrite: Bool, sources: [String]) throws {
        let table = result.table
        var columns: [PackedColumn] = []
        var end = SnapshotLayout.headerSize
        func place(_ column: PackedColumn) -> SnapshotColumn {
            let offset = SnapshotLayout.aligned(end)
            end = offset + column.count * column.width
            columns.append(column)
            return SnapshotColumn(offset: offset, count: column.count, width: column.width, constant: column.constant)
        }
        let references = table.caseIds
        let referenceBytes = PackedColumn(block: references.bytes, count: references.byteCount, width: 1, constant: 0)
        let manifest = SnapshotManifest(
            rows: table.rowCount, weights: place(table.weights), reported: place(table.reportedDays.packed),
            laterStages: table.laterStageDays.map { place($0.packed) }, furthestStages: place(table.furthestStages),
            outcomes: place(table.outcomes), outcomeDays: place(table.outcomeDays.packed), lineOffsets: place(table.lineOffsets),
            sourceFileOfRow: place(table.sourceFileOfRow),
            dimensions: table.dimensions.map { SnapshotManifest.Dimension(name: $0.name, labels: $0.labels, codes: place($0.codes)) },
            references: SnapshotManifest.References(bytes: place(referenceBytes), fixedLength: references.fixedLength,
                                                    offsets: place(references.offsets)),
            availableStages: table.availableStages, monthPrecision: table.datePrecision == .month, cube: table.isCube,
            unrecordedReason: table.unrecordedReason, sourceFiles: table.sourceFiles, report: result.report,
            sources: sources.compactMap(source(of:)), saved: ISO8601DateFormatter().string(from: Date()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let manifestBytes = Array(try encoder.encode(manifest))
        let manifestOffset = SnapshotLayout.aligned(end)
        /// Every byte after the header, in order, handed to `sink` a piece at a time.
        func body(_ sink: (UnsafeRawBufferPointer) throws -> Void) rethrows {
            let zeros = [UInt8](repeating: 0, count: SnapshotLayout.alignment)
            var written = SnapshotLayout.headerSize
            func pad(to offset: Int) throws {
                try zeros.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[..<(offset - written)])) }
                written = offset
            }
            for column in columns where column.width > 0 {
                try pad(to: SnapshotLayout.aligned(written))
                try column.withBytes { try sink($0) }
                written += column.count * column.width
            }
            try pad(to: manifestOffset)
            try manifestBytes.withUnsafeBytes { try sink($0) }
        }
        var checksum: UInt32 = 0
        body { checksum = SnapshotLayout.crc32(checksum, $0) }
        let header = SnapshotLayout.Header(version: SnapshotLayout.version, fileLength: UInt64(manifestOffset + manifestBytes.count),
                                           manifestOffset: UInt64(manifestOffset), manifestLength: UInt64(manifestBytes.count),
                                           checksum: checksum)
        let file = try AtomicFile(destination: destination, overwrite: overwrite, inputs: sources)
        try header.bytes.withUnsafeBytes { try file.write($0) }
        try body { try file.write($0) }
        try file.commit()
    }

    /// Opens the snapshot at `path`, its columns mapped in place; throws `ImportError.badSnapshot`
    /// naming what is wrong when it cannot be.
    public static func open(path: String) throws -> ImportResult {
        let file = try MappedFile(path: path)
        do {
            return try open(file, name: path)
        } catch let problem as SnapshotProblem {
            throw ImportError.badSnapshot(file: path, reason: problem.description)
        }
    }

    /// Opens the snapshot mapped in `file`, called `name` in the account.
    static func open(_ file: MappedFile, name: String) throws(SnapshotProblem) -> ImportResult {
        let bytes = file.bytes
        let header = try SnapshotLayout.Header(bytes)
        guard header.fileLength == UInt64(bytes.count) else {
            if header.fileLength > UInt64(bytes.count) { throw .truncated(held: bytes.count, written: header.fileLength) }
            throw .damaged("it is \(UInt64(bytes.count) - header.fileLength) bytes longer than written")
        }
        guard header.manifestOffset >= UInt64(SnapshotLayout.headerSize), header.manifestOffset <= header.fileLength,
              header.manifestLength == header.fileLength - header.manifestOffset else { throw .damaged("its header does not add up") }
        let body = UnsafeRawBufferPointer(rebasing: bytes[SnapshotLayout.headerSize...])
        guard SnapshotLayout.crc32(0, body) == header.checksum else { throw .damaged("its CRC-32 does not match its contents") }
        let manifestStart = Int(header.manifestOffset)
        let manifest: SnapshotManifest
        do {
            manifest = try JSONDecoder().decode(SnapshotManifest.self, from: Data(bytes[manifestStart...]))
        } catch {
            throw .damaged("its manifest cannot be read")
        }
        let reader = ColumnReader(file: file, end: manifestStart, rows: manifest.rows)
        return try reader.table(manifest, name: name)
    }

    /// A snapshot file around `body` (every byte after the header), its manifest at byte
    /// `manifestOffset`, with a header whose lengths and checksum are right: for fuzzing and tests,
    /// so that arbitrary bytes reach the checks of the manifest and the columns.
    public static func sealed(body: [UInt8], manifestOffset: UInt64) -> [UInt8] {
        let length = UInt64(SnapshotLayout.headerSize + body.count)
        let header = SnapshotLayout.Header(version: SnapshotLayout.version, fileLength: length, manifestOffset: manifestOffset,
                                           manifestLength: length &- manifestOffset,
                                           checksum: body.withUnsafeBytes { SnapshotLayout.crc32(0, $0) })
        return header.bytes + body
    }

    /// What identifies the file at `path` now, for recording in a snapshot; nil when there is none.
    private static func source(of path: String) -> SnapshotManifest.Source? {
        guard let identity = FileIdentity.current(path), identity.isRegularFile else { return nil }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return SnapshotManifest.Source(path: absolute, size: identity.size, modifiedSeconds: identity.modified.seconds,
                                       modifiedNanoseconds: identity.modified.nanoseconds, inode: identity.inode)
    }

    /// How each recorded source differs from the file now at its path, one line each.
    static func changes(_ sources: [SnapshotManifest.Source]) -> [String] {
        sources.compactMap { source in
            guard let now = FileIdentity.current(source.path) else { return "\(source.path) is no longer there" }
            if now.inode != source.inode || now.size != source.size || now.modified.seconds != source.modifiedSeconds
                || now.modified.nanoseconds != source.modifiedNanoseconds {
                return "\(source.path) has changed since this snapshot was saved; these figures are from it as it was then (save again to bring them up to date)"
            }
            return nil
        }
    }
}

/// Reads columns out of a snapshot's bytes, each checked to lie inside the file and to hold
/// only values the table can use, before anything reads it.
private struct ColumnReader {
    let file: MappedFile
    /// Where the columns end (the manifest's offset).
    let end: Int
    let rows: Int

    /// A column of `count` values (the table's rows unless said), refused when it does not fit the file.
    func column(_ ref: SnapshotColumn, count: Int? = nil, below limit: UInt32? = nil, what: String) throws(SnapshotProblem) -> PackedColumn {
        guard [0, 1, 2, 4].contains(ref.width), ref.count == (count ?? rows), ref.count >= 0 else {
            throw .damaged("the \(what) column has the wrong shape")
        }
        let length = ref.count.multipliedReportingOverflow(by: ref.width)
        guard ref.width == 0 || (ref.offset >= SnapshotLayout.headerSize && ref.offset % SnapshotLayout.alignment == 0
                                 && !length.overflow && ref.offset <= end && length.partialValue <= end - ref.offset) else {
            throw .damaged("the \(what) column lies outside the file")
        }
        let block = ref.width == 0 ? ColumnBlock()
            : ColumnBlock(mapped: file.bytes.baseAddress! + ref.offset, count: length.partialValue, owner: file)
        let column = PackedColumn(block: block, count: ref.count, width: ref.width, constant: ref.constant)
        if let limit, column.count > 0, column.largest() >= limit { throw .damaged("the \(what) column holds a value out of range") }
        return column
    }

    /// The table and account the manifest describes.
    func table(_ manifest: SnapshotManifest, name: String) throws(SnapshotProblem) -> ImportResult {
        guard rows >= 0, manifest.laterStages.count == 4 else { throw .damaged("its manifest does not add up") }
        let dimensions = try manifest.dimensions.map { dimension throws(SnapshotProblem) in
            DimensionColumn(name: DisplayText.sanitized(dimension.name), labels: dimension.labels.map(DisplayText.sanitized),
                            codes: try column(dimension.codes, below: UInt32(clamping: dimension.labels.count), what: "'\(dimension.name)'"))
        }
        let fileCount = UInt32(clamping: manifest.sourceFiles.count)
        let sourceFileOfRow = try column(manifest.sourceFileOfRow, count: manifest.sourceFileOfRow.count == 0 ? 0 : rows,
                                         below: fileCount, what: "source file")
        let table = CaseTable(
            weights: try column(manifest.weights, what: "count"),
            reportedDays: DayColumn(packed: try column(manifest.reported, what: "reported_date")),
            laterStageDays: try manifest.laterStages.map { stage throws(SnapshotProblem) in DayColumn(packed: try column(stage, what: "stage date")) },
            furthestStages: try column(manifest.furthestStages, below: UInt32(Stage.allCases.count), what: "furthest stage"),
            outcomes: try column(manifest.outcomes, below: UInt32(CaseOutcome.codeCount), what: "outcome"),
            outcomeDays: DayColumn(packed: try column(manifest.outcomeDays, what: "outcome_date")),
            lineOffsets: try column(manifest.lineOffsets, what: "line"),
            dimensions: dimensions, availableStages: manifest.availableStages, caseIds: try references(manifest.references),
            datePrecision: manifest.monthPrecision ? .month : .day, sourceFiles: manifest.sourceFiles,
            sourceFileOfRow: sourceFileOfRow, unrecordedReason: manifest.unrecordedReason, isCube: manifest.cube)
        var report = manifest.report
        guard report.accepted == rows, report.rows == report.accepted + report.rejected + report.skipped else {
            throw .damaged("its account of the import does not add up")
        }
        report.snapshot = SnapshotUse(path: name, saved: manifest.saved, changedSources: SnapshotFile.changes(manifest.sources))
        return ImportResult(table: table, report: report)
    }

    /// The case references, checked to lie inside their bytes.
    private func references(_ references: SnapshotManifest.References) throws(SnapshotProblem) -> CaseReferences {
        let bytes = try column(references.bytes, count: references.bytes.count, what: "case_id")
        guard bytes.width == 1 || bytes.count == 0 else { throw .damaged("the case_id column has the wrong shape") }
        let byteCount = bytes.count
        if let fixed = references.fixedLength {
            guard fixed >= 0, fixed.multipliedReportingOverflow(by: rows) == (byteCount, false) else {
                throw .damaged("the case_id column does not add up")
            }
            return CaseReferences(bytes: bytes.block, byteCount: byteCount, fixedLength: fixed, offsets: PackedColumn(), count: rows)
        }
        let offsets = try column(references.offsets, count: rows + 1, below: UInt32(clamping: byteCount + 1), what: "case_id offsets")
        guard zip(offsets, offsets.dropFirst()).allSatisfy({ $0 <= $1 }) else { throw .damaged("the case_id offsets go backwards") }
        return CaseReferences(bytes: bytes.block, byteCount: byteCount, fixedLength: nil, offsets: offsets, count: rows)
    }
}
