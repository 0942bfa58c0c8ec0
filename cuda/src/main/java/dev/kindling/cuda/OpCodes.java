package dev.kindling.cuda;

import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.ReduceOp;
import dev.kindling.backend.UnaryOp;

/**
 * The numbers the kernels use for core's op kinds (the UnaryCode, BinaryCode and ReduceCode enums
 * of elementwise.cuh and reduce.cuh). Mapped by name, not by ordinal, so that reordering or adding
 * a kind in core cannot silently run another function: an unknown kind fails here, and OpCodesTest
 * checks these numbers against the CUDA sources.
 */
final class OpCodes {
    private OpCodes() {}

    static int unary(UnaryOp.Kind kind) {
        return switch (kind) {
            case NEG -> 0; case ABS -> 1; case SQUARE -> 2; case SIGN -> 3; case RELU -> 4; case CLAMP -> 5;
            case EXP -> 6; case LOG -> 7; case LOG1P -> 8; case EXPM1 -> 9; case SQRT -> 10; case RSQRT -> 11;
            case RECIPROCAL -> 12; case SIN -> 13; case COS -> 14; case TANH -> 15; case SIGMOID -> 16;
            case GELU -> 17; case GELU_TANH -> 18; case SILU -> 19; case SOFTPLUS -> 20; case LEAKY_RELU -> 21;
            case ELU -> 22; case ERF -> 23; case ERFC -> 24; case TAN -> 25; case ASIN -> 26; case ACOS -> 27;
            case ATAN -> 28; case SINH -> 29; case COSH -> 30; case ASINH -> 31; case ACOSH -> 32; case ATANH -> 33;
            case LOG2 -> 34; case LOG10 -> 35; case EXP2 -> 36; case TRUNC -> 37; case POW_SCALAR -> 38;
            case FLOOR -> 39; case CEIL -> 40; case ROUND -> 41; case LOGICAL_NOT -> 42; case ISNAN -> 43;
            case ISINF -> 44; case ISFINITE -> 45; case ERFINV -> 46; case LGAMMA -> 47; case DIGAMMA -> 48;
            case POLYGAMMA -> 49;
        };
    }

    static int binary(BinaryOp.Kind kind) {
        return switch (kind) {
            case ADD -> 0; case SUB -> 1; case MUL -> 2; case DIV -> 3; case POW -> 4; case MAXIMUM -> 5;
            case MINIMUM -> 6; case REMAINDER -> 7; case FLOOR_DIVIDE -> 8; case FMOD -> 9; case HYPOT -> 10;
            case COPYSIGN -> 11; case ATAN2 -> 12; case EQ -> 13; case NE -> 14; case LT -> 15; case LE -> 16;
            case GT -> 17; case GE -> 18; case LOGICAL_AND -> 19; case LOGICAL_OR -> 20; case LOGICAL_XOR -> 21;
            case THRESHOLD_BACKWARD -> 22; case SIGMOID_BACKWARD -> 23; case TANH_BACKWARD -> 24;
            case GELU_BACKWARD -> 25; case GELU_TANH_BACKWARD -> 26; case SILU_BACKWARD -> 27;
            case LEAKY_RELU_BACKWARD -> 28; case ELU_BACKWARD -> 29; case SOFTPLUS_BACKWARD -> 30;
        };
    }

    /** The unary kinds the integer kernel (integerUnaryOp) computes. */
    static boolean integerUnary(UnaryOp.Kind kind) {
        return switch (kind) {
            case NEG, ABS, SQUARE, SIGN, RELU, CLAMP -> true;
            default -> false;
        };
    }

    /** The binary kinds the integer kernel (integerBinaryOp) computes. */
    static boolean integerBinary(BinaryOp.Kind kind) {
        return switch (kind) {
            case ADD, SUB, MUL, MAXIMUM, MINIMUM, REMAINDER, FLOOR_DIVIDE, FMOD -> true;
            default -> false;
        };
    }

    static int reduce(ReduceOp op) {
        return switch (op) {
            case SUM -> 0; case PROD -> 1; case MAX -> 2; case MIN -> 3; case ARGMAX -> 4; case ARGMIN -> 5;
            case ANY -> 6; case ALL -> 7;
        };
    }
}
