# Reference image of the exotel-service (and the standalone simulator, same image).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY libs/exotel/package.json libs/exotel/
COPY libs/exotel-simulator/package.json libs/exotel-simulator/
COPY apps/exotel-service/package.json apps/exotel-service/
COPY apps/exotel-events-consumer/package.json apps/exotel-events-consumer/
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app /app
USER node
EXPOSE 3000
CMD ["node", "apps/exotel-service/dist/main.js"]
