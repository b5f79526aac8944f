import CGLPK

/// A linear programme solved by GLPK's simplex method (Debian's libglpk): columns with bounds,
/// rows Σ coefficient × column within bounds, and the least and greatest value one column can
/// take over the region they allow. Bounds can be changed between solves; each solve starts
/// from the last basis, so a run of related questions costs little.
final class LinearProgram {
    /// The solver's problem object, owned here.
    private let problem: OpaquePointer
    /// Simplex settings: quiet, no presolver (it would throw away the warm basis).
    private var settings = glp_smcp()

    /// A programme of `columns` columns, each free until bounded, and no rows.
    init(columns: Int) {
        _ = glp_term_out(GLP_OFF)
        problem = glp_create_prob()
        glp_init_smcp(&settings)
        settings.msg_lev = GLP_MSG_OFF
        settings.presolve = GLP_OFF
        if columns > 0 { glp_add_cols(problem, Int32(columns)) }
        for column in 0..<columns { setBounds(column, lower: nil, upper: nil) }
    }

    deinit { glp_delete_prob(problem) }

    /// Adds the row `lower ≤ Σ terms ≤ upper` (nil for no bound on that side); `terms` pairs a
    /// column (from 0) with its coefficient, each column at most once.
    func addRow(_ terms: [(column: Int, coefficient: Double)], lower: Double?, upper: Double?) {
        let row = glp_add_rows(problem, 1)
        glp_set_row_bnds(problem, row, LinearProgram.boundType(lower, upper), lower ?? 0, upper ?? 0)
        // GLPK's arrays start at 1; element 0 is ignored.
        var indices: [Int32] = [0] + terms.map { Int32($0.column + 1) }
        var values: [Double] = [0] + terms.map(\.coefficient)
        glp_set_mat_row(problem, row, Int32(terms.count), &indices, &values)
    }

    /// Bounds column `column` to `lower ... upper` (nil for no bound on that side).
    func setBounds(_ column: Int, lower: Double?, upper: Double?) {
        glp_set_col_bnds(problem, Int32(column + 1), LinearProgram.boundType(lower, upper), lower ?? 0, upper ?? 0)
    }

    /// The least (or, with `maximise`, the greatest) value column `column` can take: `.value`, or
    /// `.unbounded`, or `.infeasible` when no point meets every row, or `.failed` when the solver stopped short.
    func extreme(of column: Int, maximise: Bool) -> Extreme {
        glp_set_obj_dir(problem, maximise ? GLP_MAX : GLP_MIN)
        glp_set_obj_coef(problem, Int32(column + 1), 1)
        defer { glp_set_obj_coef(problem, Int32(column + 1), 0) }
        var code = glp_simplex(problem, &settings)
        if code != 0 {
            // A basis made singular by changed bounds: start again from the standard one.
            glp_std_basis(problem)
            code = glp_simplex(problem, &settings)
        }
        guard code == 0 else { return .failed }
        switch glp_get_status(problem) {
        case GLP_OPT: return .value(glp_get_obj_val(problem))
        case GLP_UNBND: return .unbounded
        case GLP_NOFEAS: return .infeasible
        default: return .failed
        }
    }

    /// The value of every column at the last optimum found.
    func solution() -> [Double] {
        (0..<Int(glp_get_num_cols(problem))).map { glp_get_col_prim(problem, Int32($0 + 1)) }
    }

    /// The outcome of one optimisation.
    enum Extreme: Equatable {
        /// The optimum.
        case value(Double)
        /// No finite optimum in that direction.
        case unbounded
        /// The rows and bounds contradict each other.
        case infeasible
        /// The solver could not finish.
        case failed
    }

    /// GLPK's kind of bound for an optional lower and upper bound.
    private static func boundType(_ lower: Double?, _ upper: Double?) -> Int32 {
        switch (lower, upper) {
        case (nil, nil): GLP_FR
        case (_?, nil): GLP_LO
        case (nil, _?): GLP_UP
        case let (low?, high?): low == high ? GLP_FX : GLP_DB
        }
    }

    /// The solver's version, for metadata.
    static var solverVersion: String { "GLPK " + String(cString: glp_version()) }
}
