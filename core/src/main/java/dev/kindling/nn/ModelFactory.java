package dev.kindling.nn;

import java.io.Serializable;
import java.util.function.Supplier;

/**
 * Builds a fresh model, as a serializable recipe: a lambda whose target is this interface is
 * serializable, so the recipe can be shipped to other JVMs (Spark executors) or saved, and each
 * side builds its own instance. {@link ModelSpec} is the recipe written as a line of layer names.
 * Whoever calls {@link #get()} decides the generator the initial weights are drawn from.
 */
@FunctionalInterface
public interface ModelFactory extends Supplier<Module>, Serializable {}
