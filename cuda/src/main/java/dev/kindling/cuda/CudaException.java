package dev.kindling.cuda;

/** A CUDA driver or library call that returned an error; the message names the call and the error. */
public final class CudaException extends RuntimeException {
    public CudaException(String message) { super(message); }
}
