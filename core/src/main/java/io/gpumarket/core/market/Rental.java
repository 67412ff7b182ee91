package io.gpumarket.core.market;

/** A live contract: its machine, its GPUs and the price per GPU-hour frozen when it was rented (micro-dollars). */
public record Rental(long machineId, int gpus, long gpuPrice) {}
