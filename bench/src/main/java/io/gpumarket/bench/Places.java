package io.gpumarket.bench;

import java.util.List;

/**
 * Where the synthetic hosts are: 30 countries, weighted the way GPU supply clusters (North America and
 * Europe first), each with a few cities so that {@code geolocation} text varies within a country.
 */
record Places(String country, double share, List<String> cities) {

    static final List<Places> ALL = List.of(
            new Places("US", 22, List.of("Ashburn", "Dallas", "San Jose", "Chicago", "New York", "Portland")),
            new Places("DE", 8, List.of("Frankfurt", "Berlin", "Munich")),
            new Places("NL", 5, List.of("Amsterdam", "Rotterdam")),
            new Places("SE", 4, List.of("Stockholm", "Gothenburg")),
            new Places("FI", 3, List.of("Helsinki", "Oulu")),
            new Places("FR", 4, List.of("Paris", "Lyon")),
            new Places("GB", 5, List.of("London", "Manchester")),
            new Places("CA", 5, List.of("Toronto", "Montreal", "Quebec")),
            new Places("PL", 3, List.of("Warsaw", "Krakow")),
            new Places("CZ", 2, List.of("Prague", "Brno")),
            new Places("ES", 2, List.of("Madrid", "Barcelona")),
            new Places("IT", 2, List.of("Milan", "Rome")),
            new Places("NO", 2, List.of("Oslo", "Bergen")),
            new Places("DK", 1, List.of("Copenhagen")),
            new Places("BE", 1, List.of("Brussels")),
            new Places("CH", 2, List.of("Zurich", "Geneva")),
            new Places("AT", 1, List.of("Vienna")),
            new Places("RO", 2, List.of("Bucharest", "Cluj-Napoca")),
            new Places("BG", 1, List.of("Sofia")),
            new Places("UA", 2, List.of("Kyiv", "Lviv")),
            new Places("JP", 3, List.of("Tokyo", "Osaka")),
            new Places("KR", 2, List.of("Seoul")),
            new Places("TW", 3, List.of("Taipei", "Taichung")),
            new Places("SG", 2, List.of("Singapore")),
            new Places("IN", 2, List.of("Mumbai", "Bangalore")),
            new Places("AU", 2, List.of("Sydney", "Melbourne")),
            new Places("BR", 2, List.of("Sao Paulo")),
            new Places("CN", 5, List.of("Shanghai", "Beijing", "Shenzhen")),
            new Places("VN", 2, List.of("Hanoi", "Ho Chi Minh City")),
            new Places("TH", 1, List.of("Bangkok")));

    static final Weighted<Places> PICK = new Weighted<>(ALL, Places::share);
}
