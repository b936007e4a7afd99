"""urbis: the secretariat platform of an international network of smart cities."""
