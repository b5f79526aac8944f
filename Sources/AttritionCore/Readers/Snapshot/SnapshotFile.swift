import Foundation

/// `attrition save`: an imported table kept as one binary file that opens in a moment — its
/// columns read into memory as they lie, not parsed again — with the import's account,
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

    /// Opens the snapshot at `path`, its columns used in place in a copy of the file; throws `ImportError.badSnapshot`
    /// naming what is wrong when it cannot be.
    public static func open(path: String) throws -> ImportResult {
        let file = try FileCopy(path: path)
        do {
            return try open(file, name: path)
        } catch let problem as SnapshotProblem {
            throw ImportError.badSnapshot(file: path, reason: problem.description)
        }
    }

    /// Opens the snapshot held in `file`, called `name` in the account.
    static func open(_ file: FileCopy, name: String) throws(SnapshotProblem) -> ImportResult {
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
    let file: FileCopy
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

    /// The table and account the manifest describes, every field checked against the data
    /// before anything uses it: an edited manifest, checksummed afresh, is refused as damaged.
    func table(_ manifest: SnapshotManifest, name: String) throws(SnapshotProblem) -> ImportResult {
        guard rows >= 0, manifest.laterStages.count == 4 else { throw .damaged("its manifest does not add up") }
        let stages = manifest.availableStages
        guard stages.first == .reported, zip(stages, stages.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw .damaged("its list of stages recorded is empty, out of order or repeats a stage")
        }
        try SnapshotChecks.columnsApart(manifest)
        let dimensions = try manifest.dimensions.map { dimension throws(SnapshotProblem) in
            DimensionColumn(name: DisplayText.sanitized(dimension.name), labels: dimension.labels.map(DisplayText.sanitized),
                            codes: try column(dimension.codes, below: UInt32(clamping: dimension.labels.count), what: "'\(dimension.name)'"))
        }
        try SnapshotChecks.distinctNames(dimensions)
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
        try SnapshotChecks.dates(table)
        try SnapshotChecks.furthestStages(table)
        var report = manifest.report
        guard report.accepted == rows, SnapshotChecks.countsArePlausible(report),
              report.rows == report.accepted + report.rejected + report.skipped else {
            throw .damaged("its account of the import does not add up")
        }
        report.snapshot = SnapshotUse(path: name, saved: DisplayText.sanitized(manifest.saved), changedSources: SnapshotFile.changes(manifest.sources))
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

/// The checks of a snapshot's manifest against its data that go beyond each column's shape.
private enum SnapshotChecks {
    /// No count of the account may be negative or beyond what a file could hold, so no sum of them can overflow.
    static let largestCount = 1 << 48

    /// Whether every count in `report` lies between 0 and `largestCount`.
    static func countsArePlausible(_ report: ImportReport) -> Bool {
        var counts = [report.rows, report.accepted, report.rejected, report.skipped, report.warningCount, report.blankLines,
                      report.rejections.count, report.warnings.count]
        if let files = report.sourceFiles {
            counts += [files.eventRows, files.eventsApplied, files.eventsOutside, files.eventsBlank, files.eventsUnknown, files.eventsRejected]
                + files.read.map(\.rows)
        }
        if let events = report.events {
            counts += [events.rows, events.applied, events.unknownCases, events.rejected] + events.unmappedTypes.map(\.rows)
        }
        return counts.allSatisfy { (0...largestCount).contains($0) }
    }

    /// Refuses columns whose bytes overlap another's (an offset pointing into another column).
    static func columnsApart(_ manifest: SnapshotManifest) throws(SnapshotProblem) {
        let columns = [manifest.weights, manifest.reported, manifest.furthestStages, manifest.outcomes, manifest.outcomeDays,
                       manifest.lineOffsets, manifest.sourceFileOfRow, manifest.references.bytes, manifest.references.offsets]
            + manifest.laterStages + manifest.dimensions.map(\.codes)
        let spans = columns.filter { $0.width > 0 && $0.count > 0 }.map { column in
            (start: column.offset, end: column.offset &+ column.count &* column.width)
        }.sorted { $0.start < $1.start }
        guard zip(spans, spans.dropFirst()).allSatisfy({ $0.end <= $1.start }) else { throw .damaged("two of its columns share their bytes") }
    }

    /// Refuses two dimensions of one name, or two groups of one dimension with one label (as shown).
    static func distinctNames(_ dimensions: [DimensionColumn]) throws(SnapshotProblem) {
        let names = dimensions.map { CategoryKey.of($0.name) }
        guard Set(names).count == names.count, !names.contains("") else { throw .damaged("two of its dimensions have one name") }
        for dimension in dimensions where Set(dimension.labels).count != dimension.labels.count {
            throw .damaged("two groups of '\(dimension.name)' have one label")
        }
    }

    /// Refuses a report date that is missing or outside the years a case file may give, and any
    /// other date outside them.
    static func dates(_ table: CaseTable) throws(SnapshotProblem) {
        guard table.reportedDays.allWithin(FieldParsing.plausibleDays, orMissing: false) else {
            throw .damaged("a report date is missing or outside \(FieldParsing.plausibleYearsText)")
        }
        for column in table.laterStageDays + [table.outcomeDays] where !column.allWithin(FieldParsing.plausibleDays, orMissing: true) {
            throw .damaged("a stage or outcome date is outside \(FieldParsing.plausibleYearsText)")
        }
    }

    /// Refuses a case whose furthest stage is one the table does not record.
    static func furthestStages(_ table: CaseTable) throws(SnapshotProblem) {
        let recorded = Set(table.availableStages.map { UInt32($0.rawValue) })
        var outside = false
        table.furthestStages.forEachBlock { _, values in
            if !outside, values.contains(where: { !recorded.contains($0) }) { outside = true }
        }
        if outside { throw .damaged("a case's furthest stage is one it does not record") }
    }
}
