package dev.kindling.spark;

import dev.kindling.nn.Module;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * Builds a fresh model; shipped to every executor, so it must be serializable (a lambda whose
 * target is this interface is). The driver builds one right after seeding the default generator,
 * so a fit's initial weights depend only on its seed.
 */
@FunctionalInterface
public interface ModelFactory extends Supplier<Module>, Serializable {}
