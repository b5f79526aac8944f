import Foundation

/// Exact tests and limits for small counts, where the normal approximation misleads
/// (docs/methodology.md, "Small groups").
public enum ExactMethods {
    /// Two-sided p-value of Fisher's exact test on the 2×2 table of `a` against `b` (moved on or
    /// not, by side): the probability, with every margin fixed, of a table no more likely than the
    /// one seen (the usual "sum of small p" rule, with R's relative tolerance 1e-7). Nil when a
    /// side is empty.
    public static func fisherPValue(_ a: Proportion, _ b: Proportion) -> Double? {
        guard a.total > 0, b.total > 0 else { return nil }
        let population = a.total + b.total, successes = a.count + b.count, draws = a.total
        let low = max(0, draws + successes - population), high = min(draws, successes)
        let observed = Distributions.hypergeometricLogPMF(a.count, population: population, successes: successes, draws: draws)
        let bound = observed + log1p(1e-7)
        var p = 0.0
        for x in low...high {
            let logP = Distributions.hypergeometricLogPMF(x, population: population, successes: successes, draws: draws)
            if logP <= bound { p += exp(logP) }
        }
        return min(1, p)
    }

    /// Exact binomial control limit for a group of `n` cases around the rate `p0`, at probability
    /// `level` (0.025 and 0.975 for 95% limits): the `level`-quantile r of Binomial(n, p0),
    /// interpolated as (r − α)/n with α = (F(r) − level)/(F(r) − F(r − 1)) so that the limit
    /// moves smoothly with n (Spiegelhalter 2005, Statistics in Medicine 24:1185, appendix A.1.1).
    public static func binomialLimit(around p0: Double, n: Int, level: Double) -> Double {
        guard n > 0 else { return level < 0.5 ? 0 : 1 }
        var (low, high) = (0, n)
        while low < high {
            let middle = (low + high) / 2
            if Distributions.binomialCDF(middle, n: n, p: p0) >= level { high = middle } else { low = middle + 1 }
        }
        let r = low
        let atR = Distributions.binomialCDF(r, n: n, p: p0), below = Distributions.binomialCDF(r - 1, n: n, p: p0)
        let alpha = atR > below ? (atR - level) / (atR - below) : 0
        return min(1, max(0, (Double(r) - alpha) / Double(n)))
    }

    /// The exact (Garwood) `confidence` interval for the mean of a Poisson count `observed`:
    /// the means under which a count this low, or this high, has probability (1 − confidence)/2.
    public static func poissonInterval(_ observed: Int, confidence: Double = 0.95) -> ClosedRange<Double> {
        let tail = (1 - confidence) / 2
        let ceiling = Double(observed) * 4 + 50
        let lower = observed == 0 ? 0 : Distributions.solve(1 - tail, low: 0, high: ceiling, increasing: false) {
            Distributions.poissonCDF(observed - 1, mean: $0)
        }
        let upper = Distributions.solve(tail, low: 0, high: ceiling, increasing: false) {
            Distributions.poissonCDF(observed, mean: $0)
        }
        return lower...upper
    }

    /// Two-sided p-value of an observed Poisson count against the `expected` mean: twice the
    /// smaller tail, at most 1 (the test that matches the Garwood interval: p < 0.05 exactly when
    /// the 95% interval of observed/expected leaves out 1).
    public static func poissonPValue(_ observed: Int, expected: Double) -> Double? {
        guard expected > 0 else { return nil }
        let atMost = Distributions.poissonCDF(observed, mean: expected)
        let atLeast = 1 - Distributions.poissonCDF(observed - 1, mean: expected)
        return min(1, 2 * min(atMost, atLeast))
    }
}
