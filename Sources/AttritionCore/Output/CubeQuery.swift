/// An engine a cube query is written for.
public enum CubeEngine: String, CaseIterable, Sendable {
    case duckdb, spark, postgres
}

/// The SQL that reduces a case table held in another engine — DuckDB, Spark SQL, PostgreSQL —
/// to the weighted case file attrition opens: one row per combination of every dimension, report
/// month, stages reached and outcome, with a `count` column. National, multi-year data is reduced
/// where it lives, and the cube (thousands of rows for millions of cases) is browsed here.
///
/// Each row keeps exactly what attrition reads from a case (docs/cube.md): the categorical
/// values as written (attrition groups them as it always does), ages as the contract's bands,
/// which stage dates are given (as the report month's first day), and the police and court
/// outcomes as written. So every funnel, breakdown, reason and rate read from the cube equals
/// the one read from the case table. Per-case dates are not kept: timing, survival and the case
/// list say a cube cannot answer them.
public struct CubeQuery: Sendable {
    /// The engine the SQL is for.
    public let engine: CubeEngine
    /// The engine's table holding the cases (`schema.table` allowed), with the contract's column names.
    public let table: String
    /// The contract's columns the table has (the four required ones always).
    public let columns: Set<KnownColumn>
    /// Where DuckDB and PostgreSQL write the cube (Spark's result is written by the caller).
    public let output: String

    /// The columns every case table has.
    public static let required: Set<KnownColumn> = [.caseId, .reportedDate, .crimeType]

    /// A query over `table` (with `columns`; when nil, every contract column but `count`, as a table
    /// of single cases has) for `engine`, writing to `output`.
    public init(engine: CubeEngine, table: String = "cases", columns: Set<KnownColumn>? = nil, output: String = "cube.csv") {
        self.engine = engine
        self.table = table
        self.columns = (columns ?? Set(KnownColumn.allCases).subtracting([.count])).union(CubeQuery.required).subtracting([.outcomeDate])
        self.output = output
    }

    /// The categorical columns kept as written, in the contract's order.
    private static let categorical: [KnownColumn] = [.crimeType, .bcu, .borough, .victimSex, .victimEthnicity, .victimDisability,
                                                     .victimRelationship, .repeatVictim, .policeOutcome, .courtOutcome]
    /// The stage dates, whose presence is kept.
    private static let stageDates: [KnownColumn] = [.referredDate, .chargedDate, .prosecutedDate, .convictedDate]

    /// The whole statement, with a comment saying what it does and how to run it.
    public var sql: String {
        let stages = CubeQuery.stageDates.filter(columns.contains)
        let kept = CubeQuery.categorical.filter(columns.contains).map(\.name) + (columns.contains(.victimAge) ? ["victim_age"] : [])
        var raw = ["\(text(.caseId)) AS case_id", "\(text(.reportedDate)) AS reported_text"]
        raw += CubeQuery.categorical.filter(columns.contains).map { "\(text($0)) AS \($0.name)" }
        if columns.contains(.victimAge) { raw.append("\(ageBand) AS victim_age") }
        raw += stages.map { "\(text($0)) AS \($0.name)_text" }
        raw.append("\(weight) AS weight")
        let dated = ["\(date("reported_text")) AS reported"] + stages.map { "\(date("\($0.name)_text")) IS NOT NULL AS has_\($0.name)" }
        let flags = stages.map { "has_\($0.name)" }
        let month = monthStart("reported")
        let select = [
            "WITH source AS (SELECT \(raw.joined(separator: ", ")) FROM \(quotedTable)),",
            "dated AS (SELECT source.*, \(dated.joined(separator: ", ")) FROM source),",
            "once AS (SELECT * FROM (SELECT dated.*, row_number() OVER (PARTITION BY case_id ORDER BY reported) AS nth FROM dated "
                + "WHERE case_id IS NOT NULL AND reported IS NOT NULL AND crime_type IS NOT NULL) numbered WHERE nth = 1),",
            "cube AS (SELECT \(month) AS month, \((kept + flags).joined(separator: ", ")), sum(weight) AS cases FROM once "
                + "GROUP BY \(([month] + kept + flags).joined(separator: ", ")))",
            "SELECT concat('cube-', \(cast("row_number() OVER (ORDER BY month, \((kept + flags).joined(separator: ", ")))"))) AS case_id, "
                + "\(formatted("month")) AS reported_date, \(kept.joined(separator: ", ")), "
                + stages.map { "CASE WHEN has_\($0.name) THEN \(formatted("month")) END AS \($0.name), " }.joined()
                + "cases AS count FROM cube ORDER BY month, \((kept + flags).joined(separator: ", "))",
        ]
        let header = """
            -- attrition cube --engine \(engine.rawValue): the case table \(table) reduced to a weighted case file: one row per
            -- report month, dimension values, stages reached and outcomes, standing for `count` cases. Rows attrition would
            -- refuse (no case_id, no readable reported_date, no crime_type) are left out, and each case_id counted once (an
            -- engine's table has no row order, so give it one without duplicates). Open the result with attrition like any
            -- case file (docs/cube.md).

            """
        switch engine {
        case .duckdb: return header + "COPY (\n" + select.joined(separator: "\n") + "\n) TO '\(output)' (HEADER, DELIMITER ',');\n"
        case .postgres: return header + "\\copy (" + select.joined(separator: " ") + ") TO '\(output)' WITH (FORMAT csv, HEADER)\n"
        case .spark:
            return header + "-- Run it with spark.sql(...) and write the result: .coalesce(1).write.option('header', True).csv(PATH)\n"
                + select.joined(separator: "\n") + "\n"
        }
    }

    // MARK: Dialect

    /// The table's name quoted part by part (`schema.table` is two identifiers).
    private var quotedTable: String { table.split(separator: ".", omittingEmptySubsequences: false).map { quoted(String($0)) }.joined(separator: ".") }

    private func quoted(_ name: String) -> String {
        let escaped = engine == .spark ? name.replacingOccurrences(of: "`", with: "``") : name.replacingOccurrences(of: "\"", with: "\"\"")
        return engine == .spark ? "`\(escaped)`" : "\"\(escaped)\""
    }

    private func cast(_ expression: String) -> String {
        "CAST(\(expression) AS \(engine == .spark ? "STRING" : engine == .postgres ? "TEXT" : "VARCHAR"))"
    }

    /// A column as text, trimmed, blank as NULL.
    private func text(_ column: KnownColumn) -> String { "NULLIF(trim(\(cast(quoted(column.name)))), '')" }

    /// A date from the text in column `column` in either of the contract's forms (YYYY-MM-DD,
    /// D/M/YYYY; years 1900 to 2199, real days only), else NULL — as attrition reads dates.
    private func date(_ column: String) -> String {
        let ymd = "(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}", dmy = "[0-9]{1,2}/[0-9]{1,2}/(19|20|21)[0-9]{2}"
        switch engine {
        case .duckdb:
            return "(CASE WHEN regexp_full_match(\(column), '\(ymd)') THEN TRY_CAST(\(column) AS DATE) "
                + "WHEN regexp_full_match(\(column), '\(dmy)') THEN TRY_CAST(TRY_STRPTIME(\(column), '%d/%m/%Y') AS DATE) END)"
        case .spark:
            return "(CASE WHEN \(column) RLIKE '^\(ymd)$' THEN CAST(try_to_timestamp(\(column), 'yyyy-MM-dd') AS DATE) "
                + "WHEN \(column) RLIKE '^\(dmy)$' THEN CAST(try_to_timestamp(\(column), 'd/M/yyyy') AS DATE) END)"
        case .postgres:
            // to_date rolls an impossible day over into the next month, so the date must read back as written.
            return "(CASE WHEN \(column) ~ '^\(ymd)$' AND to_char(to_date(\(column), 'YYYY-MM-DD'), 'YYYY-MM-DD') = \(column) "
                + "THEN to_date(\(column), 'YYYY-MM-DD') "
                + "WHEN \(column) ~ '^\(dmy)$' AND to_char(to_date(\(column), 'DD/MM/YYYY'), 'FMDD/FMMM/YYYY') = "
                + "ltrim(split_part(\(column), '/', 1), '0') || '/' || ltrim(split_part(\(column), '/', 2), '0') || '/' || split_part(\(column), '/', 3) "
                + "THEN to_date(\(column), 'DD/MM/YYYY') END)"
        }
    }

    private func monthStart(_ date: String) -> String {
        switch engine {
        case .duckdb: "CAST(date_trunc('month', \(date)) AS DATE)"
        case .spark: "trunc(\(date), 'MM')"
        case .postgres: "CAST(date_trunc('month', \(date)) AS DATE)"
        }
    }

    private func formatted(_ date: String) -> String {
        switch engine {
        case .duckdb: "strftime(\(date), '%Y-%m-%d')"
        case .spark: "date_format(\(date), 'yyyy-MM-dd')"
        case .postgres: "to_char(\(date), 'YYYY-MM-DD')"
        }
    }

    private func isWholeNumber(_ text: String) -> String {
        switch engine {
        case .duckdb: "regexp_full_match(\(text), '[0-9]{1,9}')"
        case .spark: "\(text) RLIKE '^[0-9]{1,9}$'"
        case .postgres: "\(text) ~ '^[0-9]{1,9}$'"
        }
    }

    /// The victim's age as the contract's band when it is a whole number of years from 0 to 120,
    /// else as written (attrition reads a band, or warns about the rest, as from the case table).
    private var ageBand: String {
        let age = text(.victimAge), years = "CAST(\(age) AS INTEGER)"
        let bands = [(18, "Under 18"), (25, "18-24"), (35, "25-34"), (45, "35-44"), (55, "45-54"), (65, "55-64")]
        let band = bands.map { "WHEN \(years) < \($0.0) THEN '\($0.1)'" }.joined(separator: " ")
        return "CASE WHEN \(isWholeNumber(age)) AND \(years) <= 120 THEN CASE \(band) ELSE '65+' END ELSE \(age) END"
    }

    /// How many cases a row stands for: its `count` where the table has one (a whole number from
    /// 1 to 999,999,999; else 1, as attrition counts it), else 1.
    private var weight: String {
        guard columns.contains(.count) else { return "1" }
        let count = text(.count)
        return "CASE WHEN \(isWholeNumber(count)) AND CAST(\(count) AS BIGINT) >= 1 THEN CAST(\(count) AS BIGINT) ELSE 1 END"
    }
}

