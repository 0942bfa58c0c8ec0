package dev.kindling.ops;

import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * torch.einsum: an equation of subscript letters ({@code "bij,bjk->bik"}), with repeated letters
 * within an operand taking diagonals, {@code ...} standing for broadcast dims, and the implicit
 * output (no {@code ->}: the letters used once, in alphabetical order, after the ellipsis dims).
 * Operands are contracted left to right, each pair as one bmm after summing out the letters no
 * later operand or the output needs; everything is composed of views, sums and bmm, so the
 * gradient is theirs.
 */
public final class Einsum {
    private Einsum() {}

    /** An operand with one letter per dim, no letter repeated. */
    private record Term(Tensor t, List<Character> letters) {}

    private static final char ELLIPSIS_BASE = '\u0100'; // letters for ellipsis dims, after every ASCII letter

    public static Tensor einsum(String equation, List<Tensor> operands) {
        String eq = equation.replace(" ", "");
        int arrow = eq.indexOf("->");
        String lhs = arrow < 0 ? eq : eq.substring(0, arrow);
        String[] specs = lhs.split(",", -1);
        if (specs.length != operands.size()) {
            throw new IllegalArgumentException("einsum: the equation has " + specs.length + " operand(s) but " + operands.size()
                    + " tensor(s) were given");
        }
        int ellipsisRank = 0;
        for (int i = 0; i < specs.length; i++) {
            if (specs[i].contains("...")) ellipsisRank = Math.max(ellipsisRank, operands.get(i).dim() - (specs[i].length() - 3));
        }
        List<Term> terms = new ArrayList<>();
        TreeMap<Character, Integer> uses = new TreeMap<>();
        for (int i = 0; i < specs.length; i++) {
            List<Character> letters = letters(specs[i], operands.get(i), i, ellipsisRank);
            for (char c : letters) uses.merge(c, 1, Integer::sum);
            terms.add(diagonals(operands.get(i), letters));
        }
        List<Character> output = new ArrayList<>();
        if (arrow < 0) {
            for (int k = 0; k < ellipsisRank; k++) output.add((char) (ELLIPSIS_BASE + k));
            uses.forEach((c, n) -> { if (n == 1 && c < ELLIPSIS_BASE) output.add(c); });
        } else {
            String rhs = eq.substring(arrow + 2);
            if (rhs.contains("...")) {
                int at = rhs.indexOf("...");
                for (char c : rhs.substring(0, at).toCharArray()) output.add(checkLetter(c));
                for (int k = 0; k < ellipsisRank; k++) output.add((char) (ELLIPSIS_BASE + k));
                for (char c : rhs.substring(at + 3).toCharArray()) output.add(checkLetter(c));
            } else {
                for (char c : rhs.toCharArray()) output.add(checkLetter(c));
            }
            Set<Character> seen = new LinkedHashSet<>();
            for (char c : output) {
                if (!seen.add(c)) throw new IllegalArgumentException("einsum: output subscript " + c + " appears more than once in the output");
                if (!uses.containsKey(c)) {
                    throw new IllegalArgumentException("einsum: output subscript " + c + " does not appear in the equation for any input operand");
                }
            }
        }
        Term acc = terms.get(0);
        for (int i = 1; i < terms.size(); i++) {
            Set<Character> needed = new LinkedHashSet<>(output);
            for (int j = i + 1; j < terms.size(); j++) needed.addAll(terms.get(j).letters());
            acc = contract(acc, terms.get(i), needed);
        }
        acc = sumOut(acc, new LinkedHashSet<>(output), Set.of());
        int[] perm = new int[output.size()];
        for (int k = 0; k < perm.length; k++) perm[k] = acc.letters().indexOf(output.get(k));
        return acc.t().permute(perm);
    }

    private static char checkLetter(char c) {
        if (!Character.isLetter(c) || c > 'z') throw new IllegalArgumentException("einsum: invalid subscript given in the equation: '" + c + "'");
        return c;
    }

    private static List<Character> letters(String spec, Tensor t, int which, int ellipsisRank) {
        List<Character> out = new ArrayList<>();
        int at = spec.indexOf("...");
        String plain = at < 0 ? spec : spec.replace("...", "");
        int covered = at < 0 ? 0 : t.dim() - plain.length();
        if (covered < 0 || (at < 0 && plain.length() != t.dim())) {
            throw new IllegalArgumentException("einsum: the number of subscripts in the equation (" + plain.length()
                    + ") does not match the number of dimensions (" + t.dim() + ") for operand " + which
                    + (at < 0 ? " and no ellipsis was given" : ""));
        }
        for (int i = 0; i < spec.length(); i++) {
            if (i == at) {
                for (int k = ellipsisRank - covered; k < ellipsisRank; k++) out.add((char) (ELLIPSIS_BASE + k));
                i += 2;
            } else {
                out.add(checkLetter(spec.charAt(i)));
            }
        }
        return out;
    }

    /** Takes the diagonal over every repeated letter, so each letter names one dim. */
    private static Term diagonals(Tensor t, List<Character> letters) {
        List<Character> ls = new ArrayList<>(letters);
        for (int i = 0; i < ls.size(); i++) {
            for (int j = ls.size() - 1; j > i; j--) {
                if (ls.get(j).equals(ls.get(i))) {
                    if (t.size(i) != t.size(j)) {
                        throw new IllegalArgumentException("einsum: subscript " + ls.get(i) + " is repeated for operand dims of sizes "
                                + t.size(i) + " and " + t.size(j));
                    }
                    char c = ls.get(i);
                    t = Diagonals.diagonal(t, 0, i, j); // removes dims i and j, appends the diagonal
                    ls.remove(j);
                    ls.remove(i);
                    ls.add(c);
                    i = -1;
                    break;
                }
            }
        }
        return new Term(t, ls);
    }

    /** Sums the dims whose letters are neither needed nor shared with {@code other}. */
    private static Term sumOut(Term a, Set<Character> needed, Set<Character> other) {
        List<Integer> dims = new ArrayList<>();
        List<Character> kept = new ArrayList<>();
        for (int i = 0; i < a.letters().size(); i++) {
            char c = a.letters().get(i);
            if (needed.contains(c) || other.contains(c)) kept.add(c);
            else dims.add(i);
        }
        if (dims.isEmpty()) return a;
        int[] ds = dims.stream().mapToInt(Integer::intValue).toArray();
        return new Term(Reductions.sum(a.t(), ds, false), kept);
    }

    private static int size(Term a, char c) {
        int i = a.letters().indexOf(c);
        return i < 0 ? 1 : a.t().size(i);
    }

    /** a and b contracted into one term whose letters are the needed ones of either. */
    private static Term contract(Term a, Term b, Set<Character> needed) {
        a = sumOut(a, needed, new LinkedHashSet<>(b.letters()));
        b = sumOut(b, needed, new LinkedHashSet<>(a.letters()));
        List<Character> batch = new ArrayList<>();
        List<Character> summed = new ArrayList<>();
        List<Character> aOnly = new ArrayList<>();
        List<Character> bOnly = new ArrayList<>();
        for (char c : a.letters()) {
            if (b.letters().contains(c)) (needed.contains(c) ? batch : summed).add(c);
            else aOnly.add(c);
        }
        for (char c : b.letters()) if (!a.letters().contains(c)) bOnly.add(c);
        Tensor at = arrange(a, batch, aOnly, summed);
        Tensor bt = arrange(b, batch, summed, bOnly);
        int nb = 1, na = 1, ns = 1, no = 1;
        int[] batchSizes = new int[batch.size()];
        for (int k = 0; k < batch.size(); k++) {
            batchSizes[k] = common(batch.get(k), size(a, batch.get(k)), size(b, batch.get(k)));
            nb *= batchSizes[k];
        }
        for (char c : aOnly) na *= size(a, c);
        for (char c : summed) ns *= common(c, size(a, c), size(b, c));
        for (char c : bOnly) no *= size(b, c);
        at = at.expand(concat(batchSizes, dimsOf(a, aOnly), commonSizes(a, b, summed))).reshape(nb, na, ns);
        bt = bt.expand(concat(batchSizes, commonSizes(a, b, summed), dimsOf(b, bOnly))).reshape(nb, ns, no);
        Tensor prod = LinearAlgebra.bmm(at, bt).reshape(concat(batchSizes, dimsOf(a, aOnly), dimsOf(b, bOnly)));
        List<Character> letters = new ArrayList<>(batch);
        letters.addAll(aOnly);
        letters.addAll(bOnly);
        return new Term(prod, letters);
    }

    private static int common(char c, int x, int y) {
        if (x != y && x != 1 && y != 1) {
            throw new IllegalArgumentException("einsum: operands do not broadcast with remapped shapes: subscript "
                    + (c >= ELLIPSIS_BASE ? "..." : String.valueOf(c)) + " has sizes " + x + " and " + y);
        }
        return Math.max(x, y);
    }

    private static int[] commonSizes(Term a, Term b, List<Character> cs) {
        int[] out = new int[cs.size()];
        for (int k = 0; k < out.length; k++) out[k] = common(cs.get(k), size(a, cs.get(k)), size(b, cs.get(k)));
        return out;
    }

    private static int[] dimsOf(Term a, List<Character> cs) {
        int[] out = new int[cs.size()];
        for (int k = 0; k < out.length; k++) out[k] = size(a, cs.get(k));
        return out;
    }

    /** a permuted to the concatenated letter groups. */
    private static Tensor arrange(Term a, List<Character> g1, List<Character> g2, List<Character> g3) {
        int[] perm = new int[g1.size() + g2.size() + g3.size()];
        int k = 0;
        for (List<Character> g : List.of(g1, g2, g3)) for (char c : g) perm[k++] = a.letters().indexOf(c);
        return a.t().permute(perm);
    }

    private static int[] concat(int[]... parts) {
        int n = 0;
        for (int[] p : parts) n += p.length;
        int[] out = new int[n];
        int k = 0;
        for (int[] p : parts) for (int v : p) out[k++] = v;
        return out;
    }

}
