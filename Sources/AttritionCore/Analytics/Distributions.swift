import Foundation

/// The probability distributions behind the exact tests and limits: binomial, Poisson and
/// hypergeometric, through the regularised incomplete beta and gamma functions (Press et al.,
/// Numerical Recipes, 3rd ed., §6.2 and §6.4). Pure functions of their arguments.
public enum Distributions {
    /// ln C(n, k).
    static func logChoose(_ n: Int, _ k: Int) -> Double {
        lgamma(Double(n) + 1) - lgamma(Double(k) + 1) - lgamma(Double(n - k) + 1)
    }

    /// P(X ≤ r) for X ~ Binomial(n, p).
    public static func binomialCDF(_ r: Int, n: Int, p: Double) -> Double {
        if r < 0 { return 0 }
        if r >= n { return 1 }
        if p <= 0 { return 1 }
        if p >= 1 { return 0 }
        return regularisedBeta(x: 1 - p, a: Double(n - r), b: Double(r + 1))
    }

    /// P(X ≤ k) for X ~ Poisson(mean).
    public static func poissonCDF(_ k: Int, mean: Double) -> Double {
        if k < 0 { return 0 }
        if mean <= 0 { return 1 }
        return regularisedGammaQ(a: Double(k + 1), x: mean)
    }

    /// P(X = x) for the hypergeometric count of successes among `draws` taken from `population`
    /// items of which `successes` are successes.
    static func hypergeometricLogPMF(_ x: Int, population: Int, successes: Int, draws: Int) -> Double {
        logChoose(successes, x) + logChoose(population - successes, draws - x) - logChoose(population, draws)
    }

    /// The regularised incomplete beta function I_x(a, b).
    public static func regularisedBeta(x: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let front = exp(lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x))
        // The continued fraction converges fast for x < (a + 1)/(a + b + 2); use the symmetry otherwise.
        if x < (a + 1) / (a + b + 2) { return front * betaFraction(x: x, a: a, b: b) / a }
        return 1 - front * betaFraction(x: 1 - x, a: b, b: a) / b
    }

    /// The continued fraction of the incomplete beta function, by the modified Lentz method.
    private static func betaFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0, d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return h
    }

    /// The regularised upper incomplete gamma function Q(a, x) = Γ(a, x)/Γ(a).
    public static func regularisedGammaQ(a: Double, x: Double) -> Double {
        if x <= 0 { return 1 }
        let front = exp(-x + a * log(x) - lgamma(a))
        if x < a + 1 {
            // Series for P(a, x).
            var term = 1 / a, sum = term, ap = a
            for _ in 0..<100_000 {
                ap += 1
                term *= x / ap
                sum += term
                if abs(term) < abs(sum) * 1e-16 { break }
            }
            return max(0, 1 - sum * front)
        }
        // Continued fraction for Q(a, x), modified Lentz.
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...100_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < tiny { d = tiny }
            c = b + an / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let step = d * c
            h *= step
            if abs(step - 1) < 1e-15 { break }
        }
        return min(1, front * h)
    }

    /// The value where a monotone `function` of one variable crosses `target`, between `low` and
    /// `high` (bisection to relative precision 1e-12; `increasing` says which way it runs).
    static func solve(_ target: Double, low: Double, high: Double, increasing: Bool, _ function: (Double) -> Double) -> Double {
        var (low, high) = (low, high)
        for _ in 0..<300 {
            let middle = (low + high) / 2
            if (function(middle) < target) == increasing { low = middle } else { high = middle }
            if high - low <= 1e-12 * max(1, abs(middle)) { break }
        }
        return (low + high) / 2
    }
}
