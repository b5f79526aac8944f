/// How far an import has got, for progress displays.
public struct ImportProgress: Sendable {
    /// Bytes read so far.
    public let bytesRead: Int64
    /// The file's size, when known.
    public let totalBytes: Int64?
    /// Data records read so far.
    public let rows: Int
}

/// Where rejected records go, byte for byte (for example a rejects file).
public protocol RejectSink: AnyObject {
    /// Called once with the file's header line, before any record.
    func header(_ raw: UnsafeRawBufferPointer) throws
    /// Called with each rejected record exactly as it stood in the file.
    func reject(_ raw: UnsafeRawBufferPointer) throws
}

/// The outcome of an import: the case table and the account of every record.
public struct ImportResult: Sendable {
    /// The accepted cases.
    public let table: CaseTable
    /// Rows read, accepted, rejected and warned about.
    public let report: ImportReport
}

/// Reads a case file into a `CaseTable`, applying the contract's rules for every field
/// (sections 1, 2, 3, 5, 6 and 7).
public struct CaseImporter {
    /// The file's name, used in messages.
    public let fileName: String
    /// How often (in rows) `progress` is called.
    public var progressInterval = 50_000
    /// Called every `progressInterval` rows.
    public var progress: ((ImportProgress) -> Void)?
    /// Receives rejected records as they are met.
    public var rejectSink: RejectSink?
    /// What the import may hold.
    public var limits = ImportLimits()
    /// How the file's headers, dates and values translate to the case-journey format.
    public var mapping: Mapping?

    /// An importer for a file called `fileName` in messages.
    public init(fileName: String) { self.fileName = fileName }

    /// Imports the file at `path`.
    public func importFile(atPath path: String) throws -> ImportResult {
        try importCases(from: CSVScanner(source: FileByteSource(path: path)))
    }

    /// Imports every record `scanner` yields.
    public func importCases(from scanner: CSVScanner) throws -> ImportResult {
        let hasHeader = try scanner.next()
        if scanner.isBinary { throw ImportError.notText(file: fileName) }
        guard hasHeader else { throw ImportError.empty(file: fileName) }
        if scanner.problem == .tooLong { throw ImportError.headerTooLong(file: fileName) }
        guard scanner.fieldCount <= ImportLimits.maxColumns else {
            throw ImportError.tooManyColumns(file: fileName, count: scanner.fieldCount)
        }
        let names = (0..<scanner.fieldCount).map { DisplayText.decode(scanner.field($0)).text }
        let header = try Header(names: names, file: fileName, mapping: mapping)
        try rejectSink?.header(scanner.rawRecord)
        // Room for a first batch of rows; once some rows are read, for as many as the file likely holds.
        let sizingRows = 4096
        var builder = CanonicalRowReader(header: header, limits: limits, expectedRows: sizingRows, mapping: mapping)
        var rows = 0
        while try scanner.next() {
            rows += 1
            if var reason = builder.add(scanner) {
                // A stray quote may have joined rows: reject its line alone and read the others.
                if scanner.resynchronise(expecting: header.fieldCount), let problem = builder.structuralProblem(scanner.problem) {
                    reason = problem
                }
                builder.reject(line: scanner.line, reason: reason)
                // A line past the size limit is not kept, so it cannot be written out (docs/data-format.md).
                if !scanner.rawRecord.isEmpty { try rejectSink?.reject(scanner.rawRecord) }
            }
            if rows == sizingRows, let total = scanner.totalBytes, scanner.bytesConsumed > 0 {
                let perRow = Double(scanner.bytesConsumed) / Double(rows)
                builder.reserve(rows: Int(min(Double(total) / perRow * 1.02, Double(Int32.max))))
            }
            if rows % 65_536 == 0 {
                let held = builder.footprint
                if held > limits.maxMemory { throw ImportError.memoryLimit(file: fileName, rows: rows, bytes: held, limit: limits.maxMemory) }
            }
            if rows % progressInterval == 0, let progress {
                progress(ImportProgress(bytesRead: scanner.bytesRead, totalBytes: scanner.totalBytes, rows: rows))
            }
        }
        progress?(ImportProgress(bytesRead: scanner.bytesRead, totalBytes: scanner.totalBytes, rows: rows))
        let table = builder.finish()
        var report = ImportReport(
            file: fileName, rows: rows, accepted: table.rowCount, rejections: builder.log.rejections,
            warnings: builder.log.warnings, rejected: builder.log.rejected, warningCount: builder.log.warningCount,
            droppedColumns: builder.droppedColumns, blankLines: scanner.blankLines,
            unavailableStages: header.unavailableStages, extraDimensions: builder.keptColumns,
            sourceSHA256: scanner.sha256)
        report.mapping = mapping.map { MappingUse(path: $0.path, sha256: $0.sha256, unmappedValues: builder.unmappedValues) }
        return ImportResult(table: table, report: report)
    }
}
